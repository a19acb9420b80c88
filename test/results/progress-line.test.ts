import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Op } from '../../core/history/op.js'
import { DEFAULT_CONFIG } from '../../harness/config/test-config.js'
import { validateConfig } from '../../harness/config/validate-config.js'
import { runTest } from '../../harness/run/run-test.js'
import { progressLine } from '../../results/report/progress-line.js'

const S = 1_000_000_000
const history: Op[] = [
  { index: 0, time: 1 * S, process: 0, type: 'invoke', f: 'add', value: 0 },
  { index: 1, time: 1 * S, process: 0, type: 'ok', f: 'add', value: 0, node: 'n1' },
  { index: 2, time: 2 * S, process: 1, type: 'invoke', f: 'add', value: 1 },
  { index: 3, time: 2 * S, process: 1, type: 'fail', f: 'add', value: 1, node: 'n1', error: 'read-only' },
  { index: 4, time: 3 * S, process: 'nemesis', type: 'info', f: 'kill', value: 'n1' },
  { index: 5, time: 3 * S, process: 'nemesis', type: 'info', f: 'failover', value: { from: 'n1', to: 'n2' } },
  { index: 6, time: 4 * S, process: 2, type: 'invoke', f: 'add', value: 2 },
]

describe('progressLine', () => {
  it('says the run time, the operations by outcome, the failovers and the faults in effect', () => {
    expect(progressLine(history, 5 * S, 20 * S)).toBe(
      '5.0/20 s · 2 ops (ok 1, fail 1, info 0) · 1 failover · now: kill n1',
    )
    expect(progressLine(history.slice(0, 2), 1.5 * S, 20 * S)).toBe(
      '1.5/20 s · 1 ops (ok 1, fail 0, info 0) · 0 failovers · no fault in effect',
    )
  })

  it('says when the final phase has begun', () => {
    expect(progressLine(history, 21 * S, 20 * S)).toMatch(/^final phase/)
  })

  it('is called while a run goes on and changes nothing in it: the history hashes the same without it', async () => {
    const config = validateConfig({ ...DEFAULT_CONFIG, timeLimitS: 30, rate: 300, nemesis: ['kill-primary'], seed: 11 })
    const hash = (ops: readonly Op[]): string => createHash('sha256').update(JSON.stringify(ops)).digest('hex')
    const lines: string[] = []
    const watched = await runTest(config, { inMemory: true, progress: (l) => lines.push(l), progressIntervalMs: 5 })
    const plain = await runTest(config, { inMemory: true })
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line).toMatch(/ops \(ok \d+, fail \d+, info \d+\)/)
    expect(hash(watched.history)).toBe(hash(plain.history))
  })
})
