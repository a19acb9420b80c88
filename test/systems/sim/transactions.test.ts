import { describe, expect, it } from 'vitest'
import type { Statement } from '../../../core/sql/statement.js'
import { SimClientConnection } from '../../../systems/sim/engine/sim-client-connection.js'
import type { EngineCluster } from '../../../systems/sim/engine/engine-cluster.js'
import { bootCluster, MS, SECOND } from './engine-test-kit.js'

/** One client session that runs statements in order and keeps what each returned. */
class Session {
  readonly results: Array<{ ok: boolean; value?: unknown; code?: string }> = []
  private readonly connection: SimClientConnection

  constructor(cluster: EngineCluster, node = 'n1') {
    this.connection = new SimClientConnection(cluster.sim, cluster.network, node)
  }

  /** Sends one statement; `settle` runs the simulation a little so it is answered (or shown blocked). */
  send(statement: Statement): number {
    const at = this.results.length
    this.results.push({ ok: false, code: 'pending' })
    this.connection.execute(statement, null, (outcome) => {
      this.results[at] = outcome.ok
        ? { ok: true, value: outcome.result.kind === 'row' ? outcome.result.value : outcome.result.kind }
        : { ok: false, code: outcome.error.code }
    })
    return at
  }

  close(): void {
    this.connection.close()
  }
}

const append = (key: string, value: number): Statement => ({ kind: 'append', table: 'lists', key, value })
const read = (key: string): Statement => ({ kind: 'select', table: 'lists', key })
const begin = (isolation: 'read-committed' | 'serializable'): Statement => ({ kind: 'begin', isolation })

describe('engine transactions', () => {
  it('a transaction is invisible to others until it commits, then all its appends are there at once', () => {
    const cluster = bootCluster()
    const writer = new Session(cluster)
    const reader = new Session(cluster)
    writer.send(begin('serializable'))
    writer.send(append('a', 1))
    writer.send(append('b', 2))
    cluster.sim.runFor(10 * MS)
    const before = reader.send(read('a'))
    cluster.sim.runFor(10 * MS)
    expect(reader.results[before]).toEqual({ ok: true, value: null })
    writer.send({ kind: 'commit' })
    cluster.sim.runFor(100 * MS)
    const afterA = reader.send(read('a'))
    const afterB = reader.send(read('b'))
    cluster.sim.runFor(10 * MS)
    expect(reader.results[afterA]).toEqual({ ok: true, value: [1] })
    expect(reader.results[afterB]).toEqual({ ok: true, value: [2] })
    // One transaction, one binlog entry holding both rows, on the replica too.
    expect(cluster.node('n2').readTable('lists')).toEqual([
      { key: 'a', value: [1] },
      { key: 'b', value: [2] },
    ])
  })

  it('serializable: a read takes a shared lock, so a writer of that row waits for the reader to end', () => {
    const cluster = bootCluster()
    const reader = new Session(cluster)
    const writer = new Session(cluster)
    reader.send(begin('serializable'))
    reader.send(read('a'))
    cluster.sim.runFor(10 * MS)
    const write = writer.send(append('a', 1))
    cluster.sim.runFor(100 * MS)
    expect(writer.results[write]).toEqual({ ok: false, code: 'pending' })
    reader.send({ kind: 'commit' })
    cluster.sim.runFor(100 * MS)
    expect(writer.results[write]).toEqual({ ok: true, value: 'written' })
  })

  it('near miss: read committed takes no read lock, so the same writer goes ahead', () => {
    const cluster = bootCluster()
    const reader = new Session(cluster)
    const writer = new Session(cluster)
    reader.send(begin('read-committed'))
    reader.send(read('a'))
    cluster.sim.runFor(10 * MS)
    const write = writer.send(append('a', 1))
    cluster.sim.runFor(100 * MS)
    expect(writer.results[write]).toEqual({ ok: true, value: 'written' })
    // ... and the reader's next read of the row shows it (a non-repeatable read).
    const again = reader.send(read('a'))
    cluster.sim.runFor(10 * MS)
    expect(reader.results[again]).toEqual({ ok: true, value: [1] })
  })

  it('two transactions that each read a row and then append to the other one deadlock: one is rolled back', () => {
    const cluster = bootCluster()
    const one = new Session(cluster)
    const two = new Session(cluster)
    one.send(begin('serializable'))
    two.send(begin('serializable'))
    one.send(read('a'))
    two.send(read('b'))
    cluster.sim.runFor(10 * MS)
    const first = one.send(append('b', 1))
    cluster.sim.runFor(10 * MS)
    const second = two.send(append('a', 2))
    cluster.sim.runFor(10 * MS)
    // The second request closes the cycle: it is the one refused, at once, and its transaction is gone...
    expect(two.results[second]).toEqual({ ok: false, code: 'deadlock' })
    // ... which releases its lock on b, so the first goes on and commits.
    expect(one.results[first]).toEqual({ ok: true, value: 'written' })
    const commit = one.send({ kind: 'commit' })
    cluster.sim.runFor(100 * MS)
    expect(one.results[commit]).toEqual({ ok: true, value: 'done' })
    expect(cluster.node('n1').readTable('lists')).toEqual([{ key: 'b', value: [1] }])
  })

  it('a rollback, or a dropped connection, discards the appends and frees the rows', () => {
    const cluster = bootCluster()
    const rolledBack = new Session(cluster)
    rolledBack.send(begin('serializable'))
    rolledBack.send(append('a', 1))
    rolledBack.send({ kind: 'rollback' })
    const dropped = new Session(cluster)
    dropped.send(begin('serializable'))
    dropped.send(append('b', 2))
    cluster.sim.runFor(10 * MS)
    dropped.close()
    cluster.sim.runFor(10 * MS)
    const other = new Session(cluster)
    const a = other.send(append('a', 3))
    const b = other.send(append('b', 4))
    cluster.sim.runFor(100 * MS)
    expect([other.results[a], other.results[b]]).toEqual([
      { ok: true, value: 'written' },
      { ok: true, value: 'written' },
    ])
    expect(cluster.node('n1').readTable('lists')).toEqual([
      { key: 'a', value: [3] },
      { key: 'b', value: [4] },
    ])
  })

  it('a lock wait ends at the lock wait timeout, and the transaction stays open', () => {
    const cluster = bootCluster()
    const holder = new Session(cluster)
    const waiter = new Session(cluster)
    holder.send(begin('serializable'))
    holder.send(append('a', 1))
    cluster.sim.runFor(10 * MS)
    waiter.send(begin('serializable'))
    const blocked = waiter.send(append('a', 2))
    const other = waiter.send(append('b', 3))
    cluster.sim.runFor(60 * SECOND)
    expect(waiter.results[blocked]).toEqual({ ok: false, code: 'lock-wait-timeout' })
    expect(waiter.results[other]).toEqual({ ok: true, value: 'written' })
  })

  it('a transaction waiting for its AFTER_SYNC ack keeps its row locks', () => {
    const cluster = bootCluster()
    cluster.network.cutLink('n1', 'n2')
    const writer = new Session(cluster)
    writer.send(begin('serializable'))
    writer.send(append('a', 1))
    const commit = writer.send({ kind: 'commit' })
    cluster.sim.runFor(100 * MS)
    expect(writer.results[commit]).toEqual({ ok: false, code: 'pending' })
    const other = new Session(cluster)
    const write = other.send(append('a', 2))
    cluster.sim.runFor(100 * MS)
    expect(other.results[write]).toEqual({ ok: false, code: 'pending' })
    cluster.network.healAll()
    cluster.sim.runFor(SECOND)
    expect(writer.results[commit]).toEqual({ ok: true, value: 'done' })
    expect(other.results[write]).toEqual({ ok: true, value: 'written' })
    expect(cluster.node('n1').readTable('lists')).toEqual([{ key: 'a', value: [1, 2] }])
  })

  it('a read-only replica refuses an append inside a transaction', () => {
    const cluster = bootCluster()
    const session = new Session(cluster, 'n2')
    session.send(begin('serializable'))
    const write = session.send(append('a', 1))
    cluster.sim.runFor(10 * MS)
    expect(session.results[write]).toEqual({ ok: false, code: 'read-only' })
  })
})
