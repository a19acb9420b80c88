import { describe, expect, it } from 'vitest'
import type { Op } from '../../../core/history/op.js'
import type { StatusSample } from '../../../core/semisync/status-sample.js'
import { findScenario } from '../../../harness/scenarios/catalogue.js'
import {
  ASYNC_REPLICA_AHEAD_AT_FAILOVER,
  COMMITS_WAITING_AT_KILL,
  FELL_BACK_BEFORE_KILL,
  NO_SEMI_SYNC_REPLICA_AT_KILL,
  OLD_PRIMARY_AHEAD_AT_REJOIN,
} from '../../../harness/scenarios/preconditions.js'
import { runScenarioRow } from '../../../harness/scenarios/run-scenario.js'
import { tempDir } from '../cli/cli-kit.js'

let index = 0
const op = (fields: Partial<Op> & Pick<Op, 'process' | 'type' | 'f'>): Op => ({ index: index++, time: 0, ...fields })
const sample = (fields: Partial<StatusSample>): StatusSample => ({ time: 900, node: 'n1', role: 'primary', ...fields })

/** A client write in flight at t=1000, when the nemesis kills n1 (the primary). */
function killHistory(writeCompletes: boolean): Op[] {
  return [
    op({ process: 0, type: 'invoke', f: 'add', value: 1, time: 500 }),
    ...(writeCompletes ? [op({ process: 0, type: 'ok', f: 'add', value: 1, time: 600 })] : []),
    op({ process: 'nemesis', type: 'invoke', f: 'kill', value: { target: 'primary' }, time: 1000 }),
    op({ process: 'nemesis', type: 'info', f: 'kill', value: 'n1', time: 1100 }),
  ]
}

describe('preconditions read what the run shows', () => {
  it('commits waiting at the kill: a waiting session and a write in flight', () => {
    expect(
      COMMITS_WAITING_AT_KILL.unmet({ history: killHistory(false), statusSamples: [sample({ waitSessions: 2 })] }),
    ).toBeNull()
    expect(
      COMMITS_WAITING_AT_KILL.unmet({ history: killHistory(false), statusSamples: [sample({ waitSessions: 0 })] }),
    ).toMatch(/no session waiting/)
    expect(
      COMMITS_WAITING_AT_KILL.unmet({ history: killHistory(true), statusSamples: [sample({ waitSessions: 1 })] }),
    ).toMatch(/no client write was in flight/)
    expect(COMMITS_WAITING_AT_KILL.unmet({ history: [], statusSamples: [] })).toMatch(/never killed/)
    // A reading taken after the kill says nothing about before it.
    expect(
      COMMITS_WAITING_AT_KILL.unmet({
        history: killHistory(false),
        statusSamples: [sample({ waitSessions: 3, time: 1050 })],
      }),
    ).toMatch(/no status reading/)
  })

  it('a transaction in flight at the kill counts as a write only when it appends', () => {
    const inFlight = (mops: unknown[]): Op[] => [
      op({ process: 0, type: 'invoke', f: 'txn', value: mops, time: 500 }),
      ...killHistory(true).slice(2),
    ]
    const samples = [sample({ waitSessions: 1 })]
    expect(
      COMMITS_WAITING_AT_KILL.unmet({
        history: inFlight([
          ['r', 1, null],
          ['append', 1, 7],
        ]),
        statusSamples: samples,
      }),
    ).toBeNull()
    expect(COMMITS_WAITING_AT_KILL.unmet({ history: inFlight([['r', 1, null]]), statusSamples: samples })).toMatch(
      /no client write was in flight/,
    )
  })

  it('the old primary back ahead of the new one: errant transactions, or replication stopped at 1236', () => {
    const withRecovery = (value: unknown): Op[] => [op({ process: 'nemesis', type: 'info', f: 'recovery', value })]
    const ahead = (value: unknown) =>
      OLD_PRIMARY_AHEAD_AT_REJOIN.unmet({ history: withRecovery(value), statusSamples: [] })
    expect(ahead({ recovered: true, lagging: {}, errant: { n1: '0-1-228' } })).toBeNull()
    expect(ahead({ recovered: false, lagging: { n1: 'replication stopped: 1236: Got fatal error 1236' } })).toBeNull()
    expect(ahead({ recovered: true, lagging: {} })).toMatch(/holding nothing the new primary lacked/)
    // Another node lagging for another reason is not the old primary being ahead.
    expect(ahead({ recovered: false, lagging: { n2: 'caught up too slowly' } })).toMatch(/holding nothing/)
    expect(OLD_PRIMARY_AHEAD_AT_REJOIN.unmet({ history: [], statusSamples: [] })).toMatch(/no recovery report/)
  })

  it('a fallback before the kill: status OFF, or a switch OFF counted', () => {
    const history = killHistory(true)
    expect(FELL_BACK_BEFORE_KILL.unmet({ history, statusSamples: [sample({ status: 'OFF' })] })).toBeNull()
    expect(FELL_BACK_BEFORE_KILL.unmet({ history, statusSamples: [sample({ status: 'ON', noTimes: 1 })] })).toBeNull()
    expect(FELL_BACK_BEFORE_KILL.unmet({ history, statusSamples: [sample({ status: 'ON', noTimes: 0 })] })).toMatch(
      /read ON with no switch OFF/,
    )
  })

  it('no semi-sync replica connected at the kill', () => {
    const history = killHistory(true)
    expect(NO_SEMI_SYNC_REPLICA_AT_KILL.unmet({ history, statusSamples: [sample({ clients: 0 })] })).toBeNull()
    expect(NO_SEMI_SYNC_REPLICA_AT_KILL.unmet({ history, statusSamples: [sample({ clients: 1 })] })).toMatch(
      /1 semi-sync/,
    )
  })

  it('an async replica ahead of the semi-sync one at the failover', () => {
    const failover = (asyncSeq: number, semiSyncSeq: number): Op[] => [
      op({
        process: 'nemesis',
        type: 'info',
        f: 'failover',
        value: {
          candidates: [
            { node: 'n2', semiSync: true, received: `0-1-${semiSyncSeq}` },
            { node: 'n3', semiSync: false, received: `0-1-${asyncSeq}` },
          ],
        },
      }),
    ]
    expect(ASYNC_REPLICA_AHEAD_AT_FAILOVER.unmet({ history: failover(20, 10), statusSamples: [] })).toBeNull()
    expect(ASYNC_REPLICA_AHEAD_AT_FAILOVER.unmet({ history: failover(10, 10), statusSamples: [] })).toMatch(
      /received 10/,
    )
  })
})

describe('a row whose precondition never happened', () => {
  const waiting = findScenario('kill-primary-waiting-commits')!
  // The same scenario without the cut: commits never wait, so the row cannot test what it claims.
  const withoutCut = { ...waiting, schedule: (waiting.schedule ?? []).filter((step) => step.action.f !== 'partition') }

  it('is an error row, not a pass, and says why', async () => {
    const row = await runScenarioRow(withoutCut, 'after_sync', 1, { resultsDir: tempDir(), inMemory: true })
    expect(row.pass).toBe(false)
    expect(row.error).toMatch(/precondition never happened in 1 attempt\(s\): .*no session waiting/)
  })

  it('is run again up to --attempts, and each retry is reported', async () => {
    const log: string[] = []
    const row = await runScenarioRow(withoutCut, 'after_sync', 1, {
      resultsDir: tempDir(),
      inMemory: true,
      attempts: 3,
      log: (line) => log.push(line),
    })
    expect(row.attempts).toBe(3)
    expect(row.retried).toHaveLength(2)
    expect(log.join('\n')).toMatch(
      /attempt 1: commits were waiting for an ack when the primary was killed did not happen/,
    )
    expect(row.error).toMatch(/in 3 attempt\(s\)/)
  })

  it('near miss: the scenario as written meets it, passes, and is not retried', async () => {
    const row = await runScenarioRow(waiting, 'after_sync', 1, { resultsDir: tempDir(), inMemory: true, attempts: 3 })
    expect(row.error).toBeUndefined()
    expect(row.pass).toBe(true)
    expect(row.attempts).toBe(1)
    expect(row.retried).toBeUndefined()
  })
})

describe('a row that fails to run', () => {
  it('is an error row with the reason, and the next row still runs', async () => {
    const broken = { ...findScenario('kill-primary')!, name: 'broken', config: { semiSyncReplicas: 5 } }
    const row = await runScenarioRow(broken, 'after_sync', 1, { resultsDir: tempDir(), inMemory: true })
    expect(row).toMatchObject({ scenario: 'broken', pass: false, runDir: null })
    expect(row.error).toMatch(/^the run failed: --semi-sync-replicas: 5 is more than --replicas 2/)
    const next = await runScenarioRow(findScenario('kill-primary')!, 'after_sync', 1, {
      resultsDir: tempDir(),
      inMemory: true,
    })
    expect(next.pass).toBe(true)
  })
})
