import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { DEFAULT_CONFIG, type TestConfig } from '../../harness/config/test-config.js'
import { validateConfig } from '../../harness/config/validate-config.js'
import type { Op } from '../../core/history/op.js'
import { runTest, type RunOutcome } from '../../harness/run/run-test.js'
import type { FaultName } from '../../nemesis/fault-packages.js'

const NS = 1_000_000_000

function configWith(overrides: Partial<TestConfig>): TestConfig {
  return validateConfig({ ...DEFAULT_CONFIG, timeLimitS: 5, rate: 100, ...overrides })
}

async function run(overrides: Partial<TestConfig>): Promise<RunOutcome> {
  return runTest(configWith(overrides), { inMemory: true })
}

const clientOps = (history: readonly Op[]): Array<Op & { process: number }> =>
  history.filter((op): op is Op & { process: number } => typeof op.process === 'number')

/**
 * The history contract's process rules, checked op by op: one op in flight per process, no invoke after an `info`,
 * every invoke completed exactly once (the runner waits for its clients), never more than `concurrency` ops in flight.
 */
function expectClientDiscipline(history: readonly Op[], concurrency: number): void {
  const inFlight = new Map<number, Op>()
  const retired = new Set<number>()
  let maxInFlight = 0
  for (const op of clientOps(history)) {
    expect(retired.has(op.process), `process ${op.process} used after info (index ${op.index})`).toBe(false)
    if (op.type === 'invoke') {
      expect(inFlight.has(op.process), `process ${op.process} invokes twice (index ${op.index})`).toBe(false)
      inFlight.set(op.process, op)
      maxInFlight = Math.max(maxInFlight, inFlight.size)
      continue
    }
    const invoke = inFlight.get(op.process)
    expect(invoke, `completion without invoke (index ${op.index})`).toBeDefined()
    expect(op.f).toBe(invoke?.f)
    inFlight.delete(op.process)
    if (op.type === 'info') retired.add(op.process)
  }
  expect([...inFlight.keys()], 'invokes left without a completion').toEqual([])
  expect(maxInFlight).toBeLessThanOrEqual(concurrency)
}

function expectDenseAndOrdered(history: readonly Op[]): void {
  history.forEach((op, i) => expect(op.index).toBe(i))
  for (let i = 1; i < history.length; i++) {
    expect((history[i] as Op).time, `time goes back at index ${i}`).toBeGreaterThanOrEqual((history[i - 1] as Op).time)
  }
}

/** Configs that make clients end `info` (timeouts, crashes) and ones that do not. */
const TIMEOUTS: Partial<TestConfig> = { nemesisIntervalS: 2, opTimeoutMs: 1000, timeLimitS: 10 }
const FAULTY: Array<[string, Partial<TestConfig>]> = [
  ['kill-primary', { nemesis: ['kill-primary'], nemesisIntervalS: 2, seed: 3, timeLimitS: 10 }],
  ['isolate-primary', { ...TIMEOUTS, nemesis: ['isolate-primary'], seed: 1 }],
  ['partition-replicas', { ...TIMEOUTS, nemesis: ['partition-replicas'], seed: 1 }],
  ['pause', { ...TIMEOUTS, nemesis: ['pause'], seed: 3 }],
]

describe('Runner: the history it records', () => {
  for (const [name, overrides] of FAULTY) {
    it(`keeps the process discipline under ${name}`, async () => {
      const { history, config } = await run(overrides)
      expectClientDiscipline(history, config.concurrency)
      expectDenseAndOrdered(history)
    }, 20_000)
  }

  it('keeps the process discipline for any seed and fault mix (property)', async () => {
    const faults: FaultName[] = [
      'kill-primary',
      'kill-replica',
      'pause',
      'partition-replicas',
      'isolate-primary',
      'partition-halves',
      'latency',
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.uniqueArray(fc.constantFrom(...faults), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 12 }),
        async (seed, nemesis, concurrency) => {
          const timing = { nemesisIntervalS: 1, opTimeoutMs: 800, timeLimitS: 4 }
          const { history } = await run({ seed, nemesis, concurrency, ...timing })
          expectClientDiscipline(history, concurrency)
          expectDenseAndOrdered(history)
        },
      ),
      { numRuns: 12 },
    )
  }, 30_000)

  it('hands a thread a fresh process id after an info, and the final reads the next ones', async () => {
    const concurrency = 10
    const rate = 100
    const timeLimitS = 10
    const { history } = await run({
      nemesis: ['partition-replicas'],
      nemesisIntervalS: 2,
      seed: 1,
      opTimeoutMs: 1000,
      timeLimitS,
      rate,
      concurrency,
    })
    const ops = clientOps(history)
    const infos = ops.filter((op) => op.type === 'info' && op.final !== true)
    expect(infos.length).toBeGreaterThan(0)
    const workloadPids = new Set(ops.filter((op) => op.final !== true).map((op) => op.process))
    const fresh = [...workloadPids].filter((p) => p >= concurrency).sort((a, b) => a - b)
    // Fresh ids are handed out in order, one per info.
    expect(fresh).toEqual(fresh.map((_, i) => concurrency + i))
    expect(fresh.length).toBeLessThanOrEqual(infos.length)
    // A thread whose op ended info well before the time limit runs again (its pause is at most 2·concurrency/rate).
    const maxGapNs = 2 * (concurrency / rate) * NS
    const early = infos.filter((op) => op.time < timeLimitS * NS - maxGapNs)
    expect(fresh.length).toBeGreaterThanOrEqual(early.length)
    // The final reads take the ids after the last one a thread could have been given.
    const finalPids = ops.filter((op) => op.final === true && op.type === 'invoke').map((op) => op.process)
    expect(finalPids).toEqual([0, 1, 2].map((k) => concurrency + infos.length + k))
  })

  it('uses only the first `concurrency` process ids when nothing ends info', async () => {
    const { history } = await run({ nemesis: ['none'], seed: 5, concurrency: 4 })
    const ops = clientOps(history).filter((op) => op.final !== true)
    expect(ops.some((op) => op.type === 'info')).toBe(false)
    expect(new Set(ops.map((op) => op.process))).toEqual(new Set([0, 1, 2, 3]))
  })

  it('with no faults every add is ok and the verdict is valid', async () => {
    const { history, results } = await run({ nemesis: ['none'], seed: 11 })
    const ops = clientOps(history)
    const adds = ops.filter((op) => op.f === 'add')
    expect(adds.filter((op) => op.type === 'invoke').length).toBeGreaterThan(200)
    expect(adds.filter((op) => op.type !== 'invoke').every((op) => op.type === 'ok')).toBe(true)
    expect(ops.some((op) => op.type === 'fail' || op.type === 'info')).toBe(false)
    // Only the final phase's own bookkeeping touches the nemesis.
    const nemesisFs = history.filter((op) => op.process === 'nemesis').map((op) => op.f)
    expect(nemesisFs).toEqual(['heal', 'heal', 'clear-latency', 'clear-latency', 'recovery'])
    expect(results.valid).toBe(true)
    expect(results.anomalies).toEqual([])
    expect(results.recovery.recovered).toBe(true)
  })

  it('starts no client op at or after the time limit', async () => {
    const { history } = await run({ nemesis: ['kill-primary'], nemesisIntervalS: 1, seed: 2, timeLimitS: 3 })
    const invokes = clientOps(history).filter((op) => op.type === 'invoke' && op.final !== true)
    expect(invokes.length).toBeGreaterThan(0)
    for (const op of invokes) expect(op.time).toBeLessThan(3 * NS)
  })

  it('ends with a recovery op and then one final read per node, primary marked', async () => {
    const { history } = await run({ nemesis: ['kill-primary'], nemesisIntervalS: 2, seed: 4, timeLimitS: 5 })
    const recovery = history.filter((op) => op.process === 'nemesis' && op.f === 'recovery')
    expect(recovery).toHaveLength(1)
    const recoveryIndex = (recovery[0] as Op).index
    expect(recovery[0]?.type).toBe('info')
    expect(recovery[0]?.value).toMatchObject({ recovered: true })
    const finals = history.filter((op) => op.final === true)
    // The final phase is the tail of the history: an invoke and its completion per node, one node at a time.
    expect(finals.map((op) => op.index)).toEqual(finals.map((_, i) => recoveryIndex + 1 + i))
    expect(history.length).toBe(recoveryIndex + 1 + finals.length)
    expect(finals.map((op) => `${op.type}:${op.node}`)).toEqual([
      'invoke:n1',
      'ok:n1',
      'invoke:n2',
      'ok:n2',
      'invoke:n3',
      'ok:n3',
    ])
    expect(finals.filter((op) => op.type === 'invoke' && op.role === 'primary')).toHaveLength(1)
    const failover = history.find((op) => op.f === 'failover' && op.type === 'info')
    const newPrimary = (failover?.value as { to: string }).to
    expect(finals.find((op) => op.type === 'invoke' && op.role === 'primary')?.node).toBe(newPrimary)
    // Every final read sees a set (the nodes caught up, so the same set).
    const sets = finals.filter((op) => op.type === 'ok').map((op) => JSON.stringify(op.value))
    expect(new Set(sets).size).toBe(1)
  })

  /** A kill-primary fault in lane 1 at 2 s that first waits up to 500 ms for the replicas, a cut from 1 s in lane 2. */
  const guardedKill = (cutReplicas: boolean): Partial<TestConfig> => ({
    nemesis: ['kill-primary'],
    timeLimitS: 4,
    semiSyncTimeoutMs: 1_000_000_000,
    schedule: [
      ...(cutReplicas
        ? [
            { atNs: 1 * NS, lane: 2, action: { f: 'partition', topology: 'replicas' } as const },
            { atNs: 3 * NS, lane: 2, action: { f: 'heal' } as const },
          ]
        : []),
      { atNs: 2 * NS, lane: 1, action: { f: 'await-replicas', timeoutMs: 500 } as const },
      { atNs: 2 * NS, lane: 1, action: { f: 'kill', target: 'primary' } as const },
      { atNs: 2 * NS, lane: 1, action: { f: 'failover' } as const },
      { atNs: 3.5 * NS, lane: 1, action: { f: 'start', target: 'killed' } as const },
    ],
  })
  const nemesisOps = (history: readonly Op[]): string[] =>
    history
      .filter((op) => op.process === 'nemesis' && op.type === 'info' && op.f !== 'recovery')
      .map((op) => `${op.f}${(op.value as { skipped?: string } | null)?.skipped ? ' skipped' : ''}`)

  it('skips the rest of a fault whose replicas did not catch up in time, and strikes when they did', async () => {
    const skipped = await run(guardedKill(true))
    // (the final phase's heals follow)
    expect(nemesisOps(skipped.history).slice(0, 6)).toEqual([
      'partition',
      'await-replicas',
      'kill skipped',
      'failover skipped',
      'heal',
      'start',
    ])
    expect(skipped.history.find((op) => op.f === 'kill')?.value).toEqual({ skipped: 'the replicas had not caught up' })
    expect(skipped.history.some((op) => op.f === 'kill' && op.type === 'invoke')).toBe(false)
    // Near miss: nothing held the replicas back, so the same fault kills and fails over.
    const struck = await run(guardedKill(false))
    expect(nemesisOps(struck.history).slice(0, 4)).toEqual(['await-replicas', 'kill', 'failover', 'start'])
    expect(struck.results.valid).toBe(true)
  })

  /** Lane 1: a kill at 1.5 s whose failover waits for the drain, a cut planned at 3 s; the run ends at 5 s. */
  const lateLane = (stalled: boolean): Partial<TestConfig> => ({
    nemesis: ['kill-primary'],
    timeLimitS: 5,
    semiSyncTimeoutMs: 1_000_000_000,
    schedule: [
      ...(stalled
        ? [
            { atNs: 1 * NS, lane: 1, action: { f: 'stall-applier', target: { node: 'n2' } } as const },
            { atNs: 1 * NS, lane: 1, action: { f: 'stall-applier', target: { node: 'n3' } } as const },
          ]
        : []),
      { atNs: 1.5 * NS, lane: 1, action: { f: 'kill', target: 'primary' } as const },
      { atNs: 1.5 * NS, lane: 1, action: { f: 'failover' } as const },
      { atNs: 3 * NS, lane: 1, action: { f: 'partition', topology: 'replicas' } as const },
    ],
  })

  it('leaves a fault whose lane ran past the time limit to the final phase', async () => {
    // Stalled appliers hold the failover for its whole drain timeout (30 s): the cut's turn comes after the clients.
    const late = await run(lateLane(true))
    const failover = late.history.find((op) => op.f === 'failover' && op.type === 'info') as Op
    expect(failover.time).toBeGreaterThan(5 * NS)
    expect(late.history.some((op) => op.f === 'partition')).toBe(false)
    // Near miss: a failover with nothing to drain leaves the cut its turn.
    const onTime = await run(lateLane(false))
    expect(onTime.history.filter((op) => op.f === 'partition' && op.type === 'info')).toHaveLength(1)
  })

  it('waits in the final phase for commits still waiting for an ack before reading the final states', async () => {
    // Slow links, then a cut until the very end: AFTER_SYNC commits in flight reach the replicas, their acks do not,
    // so the replicas hold rows the primary has binlogged but not yet committed when the final phase begins.
    // One client, so that nothing is sent after the cut (1 s lands between an event's arrival and its ack's return).
    const { history, results } = await run({
      nemesis: ['partition-replicas', 'latency'],
      concurrency: 1,
      timeLimitS: 2,
      semiSyncTimeoutMs: 1_000_000_000,
      schedule: [
        { atNs: 0.5 * NS, lane: 2, action: { f: 'latency', meanMs: 200, jitterMs: 0 } },
        { atNs: 1 * NS, lane: 1, action: { f: 'partition', topology: 'replicas' } },
      ],
    })
    const waiting = history.filter((op) => op.type === 'info' && op.f === 'add' && op.error === 'timeout')
    expect(waiting.length).toBeGreaterThan(0)
    const recovery = history.find((op) => op.f === 'recovery')?.value as { recovered: boolean; lagging: object }
    expect(recovery).toMatchObject({ recovered: true, lagging: {} })
    expect(results.valid).toBe(true)
    const finals = history.filter((op) => op.final === true && op.type === 'ok').map((op) => JSON.stringify(op.value))
    expect(new Set(finals).size).toBe(1)
  })

  it('honours the rate roughly', async () => {
    const { history } = await run({ nemesis: ['none'], rate: 100, timeLimitS: 10, seed: 9 })
    const invokes = clientOps(history).filter((op) => op.type === 'invoke' && op.final !== true).length
    expect(invokes).toBeGreaterThanOrEqual(700)
    expect(invokes).toBeLessThanOrEqual(1300)
  })

  it('scales with the rate', async () => {
    const { history } = await run({ nemesis: ['none'], rate: 20, timeLimitS: 10, seed: 9 })
    const invokes = clientOps(history).filter((op) => op.type === 'invoke' && op.final !== true).length
    expect(invokes).toBeGreaterThanOrEqual(140)
    expect(invokes).toBeLessThanOrEqual(260)
  })

  it('is deterministic: the same config gives the same history', async () => {
    const overrides: Partial<TestConfig> = {
      nemesis: ['kill-primary', 'partition-replicas'],
      nemesisIntervalS: 1,
      seed: 21,
      timeLimitS: 4,
    }
    const a = await run(overrides)
    const b = await run(overrides)
    expect(b.history).toEqual(a.history)
    const c = await run({ ...overrides, seed: 22 })
    expect(c.history).not.toEqual(a.history)
  })
})
