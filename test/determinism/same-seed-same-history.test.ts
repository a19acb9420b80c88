import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, type TestConfig } from '../../harness/config/test-config.js'
import { validateConfig } from '../../harness/config/validate-config.js'
import { serializeOp } from '../../results/history/history-recorder.js'
import { runTest } from '../../harness/run/run-test.js'
import { CATALOGUE } from '../../harness/scenarios/catalogue.js'
import { scenarioConfig } from '../../harness/scenarios/run-scenario.js'
import { FAULT_NAMES } from '../../nemesis/fault-packages.js'

async function historyHash(config: TestConfig): Promise<{ hash: string; ops: number }> {
  const { history } = await runTest(config, { inMemory: true })
  const hash = createHash('sha256')
  for (const op of history) hash.update(`${serializeOp(op)}\n`)
  return { hash: hash.digest('hex'), ops: history.length }
}

const cyclic = (overrides: Partial<TestConfig>): TestConfig =>
  validateConfig({ ...DEFAULT_CONFIG, timeLimitS: 20, nemesisIntervalS: 2, resultsDir: 'unused', ...overrides })

describe('determinism: the same seed gives the same history, byte for byte', () => {
  const cases: Array<[string, TestConfig]> = [
    [
      'every fault, seed 1',
      cyclic({
        seed: 1,
        nemesis: FAULT_NAMES.filter((fault) => fault !== 'none'),
      }),
    ],
    [
      'every fault, seed 987654321',
      cyclic({ seed: 987654321, nemesis: ['kill-primary', 'pause', 'partition-halves', 'latency'] }),
    ],
    [
      'after_commit, mysql, unlimited rate',
      cyclic({ seed: 42, waitPoint: 'after_commit', flavor: 'mysql', rejoin: 'as-is', rate: 0, timeLimitS: 3 }),
    ],
    ['async replication', cyclic({ seed: 5, semiSync: false, nemesis: ['kill-primary'] })],
    [
      'list-append transactions, serializable, faults',
      cyclic({ seed: 11, workload: 'list-append', readFraction: 0.5, nemesis: ['kill-primary', 'pause', 'latency'] }),
    ],
    [
      'random schedule, every fault overlapping, high load, slow applier',
      cyclic({
        seed: 7,
        nemesisSchedule: 'random',
        nemesis: FAULT_NAMES.filter((fault) => fault !== 'none'),
        concurrency: 20,
        rate: 500,
        applyTimeUs: 2000,
      }),
    ],
  ]
  for (const scenario of CATALOGUE.filter((s) =>
    ['timeout-fallback', 'relay-log-unsynced', 'async-replica-ahead'].includes(s.name),
  )) {
    const mode = Object.keys(scenario.modes)[0] as 'after_sync'
    cases.push([`scenario ${scenario.name}`, scenarioConfig(scenario, mode, 3, 'unused')])
  }

  for (const [name, config] of cases) {
    it(`${name}: two runs hash the same`, async () => {
      const first = await historyHash(config)
      const second = await historyHash(config)
      expect(first.ops).toBeGreaterThan(100)
      expect(second).toEqual(first)
    })
  }

  it('different seeds give different histories (the seed is actually used)', async () => {
    const a = await historyHash(cyclic({ seed: 1, nemesis: ['kill-primary', 'pause'] }))
    const b = await historyHash(cyclic({ seed: 2, nemesis: ['kill-primary', 'pause'] }))
    expect(a.hash).not.toBe(b.hash)
  })
})
