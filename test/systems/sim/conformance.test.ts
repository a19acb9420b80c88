import { describe, expect, it } from 'vitest'
import { bootCluster, insert, keysOn, MS, partitionReplicas, readSet, SECOND, send } from './engine-test-kit.js'
import { formatGtid } from '../../../systems/sim/engine/gtid.js'

// Conformance cases from docs/reference/semisync.md §3.3, each test named after its case.

describe('semi-sync engine conformance', () => {
  it('C1: no semi-sync replica, wait_no_slave=ON: the first commit waits the timeout, then status OFF and later commits do not wait', () => {
    const cluster = bootCluster({ replicas: 1, semiSyncReplicas: 0, master: { timeoutMs: 3000, waitNoSlave: true } })
    const start = cluster.sim.now()
    const first = send(cluster, 'n1', insert(1))
    cluster.sim.runFor(2900 * MS)
    expect(first.done).toBe(false)
    cluster.sim.runFor(200 * MS)
    expect(first.ok).toBe(true)
    expect((first.at as number) - start).toBeGreaterThanOrEqual(3000 * MS)
    const status = cluster.node('n1').status()
    expect(status.Rpl_semi_sync_master_status).toBe('OFF')
    expect(status.Rpl_semi_sync_master_no_tx).toBe(1)
    expect(status.Rpl_semi_sync_master_no_times).toBe(1)
    expect(status.Rpl_semi_sync_master_yes_tx).toBe(0)
    const second = send(cluster, 'n1', insert(2))
    const sentAt = cluster.sim.now()
    cluster.sim.runFor(20 * MS)
    expect(second.ok).toBe(true)
    expect((second.at as number) - sentAt).toBeLessThan(10 * MS)
    expect(cluster.node('n1').status().Rpl_semi_sync_master_no_tx).toBe(2)
  })

  it('C2: one semi-sync replica: every commit is acked (yes_tx), clients=1, replica status ON', () => {
    const cluster = bootCluster({ replicas: 1, semiSyncReplicas: 1 })
    for (let i = 1; i <= 5; i++) send(cluster, 'n1', insert(i))
    cluster.sim.runFor(100 * MS)
    const primary = cluster.node('n1').status()
    expect(primary.Rpl_semi_sync_master_clients).toBe(1)
    expect(primary.Rpl_semi_sync_master_yes_tx).toBe(5)
    expect(primary.Rpl_semi_sync_master_no_tx).toBe(0)
    expect(primary.Rpl_semi_sync_master_status).toBe('ON')
    expect(cluster.node('n2').status().Rpl_semi_sync_slave_status).toBe('ON')
  })

  it('C3: the semi-sync replica partitioned longer than the timeout: the first commit takes ~T, status OFF, the next commits do not wait (no_tx)', () => {
    const cluster = bootCluster({ master: { timeoutMs: 2000 } })
    send(cluster, 'n1', insert(1))
    cluster.sim.runFor(50 * MS)
    partitionReplicas(cluster)
    const start = cluster.sim.now()
    const first = send(cluster, 'n1', insert(2))
    cluster.sim.runFor(2100 * MS)
    expect(first.ok).toBe(true)
    expect((first.at as number) - start).toBeGreaterThanOrEqual(2000 * MS)
    const later = [3, 4, 5].map((k) => send(cluster, 'n1', insert(k)))
    cluster.sim.runFor(30 * MS)
    expect(later.every((o) => o.ok)).toBe(true)
    const status = cluster.node('n1').status()
    expect(status.Rpl_semi_sync_master_status).toBe('OFF')
    expect(status.Rpl_semi_sync_master_yes_tx).toBe(1)
    expect(status.Rpl_semi_sync_master_no_tx).toBe(4)
    expect(status.Rpl_semi_sync_master_no_times).toBe(1)
  })

  it('C4: after healing, the replica catches up and status turns ON with no new commit; counters unchanged; clients=1', () => {
    const cluster = bootCluster({ master: { timeoutMs: 1000 } })
    partitionReplicas(cluster)
    for (let i = 1; i <= 3; i++) send(cluster, 'n1', insert(i))
    cluster.sim.runFor(1500 * MS)
    const before = cluster.node('n1').status()
    expect(before.Rpl_semi_sync_master_status).toBe('OFF')
    cluster.network.healAll()
    cluster.sim.runFor(100 * MS)
    const after = cluster.node('n1').status()
    expect(after.Rpl_semi_sync_master_status).toBe('ON')
    expect(after.Rpl_semi_sync_master_clients).toBe(1)
    expect(after.Rpl_semi_sync_master_yes_tx).toBe(before.Rpl_semi_sync_master_yes_tx)
    expect(after.Rpl_semi_sync_master_no_tx).toBe(before.Rpl_semi_sync_master_no_tx)
    expect(keysOn(cluster, 'n2').sort()).toEqual(['1', '2', '3'])
  })

  it('C8: AFTER_COMMIT with no ack possible: another session reads the row before the writer returns', () => {
    const cluster = bootCluster({ master: { waitPoint: 'after_commit', timeoutMs: 8000 } })
    partitionReplicas(cluster)
    const writer = send(cluster, 'n1', insert(10))
    cluster.sim.runFor(100 * MS)
    const reader = send(cluster, 'n1', readSet)
    cluster.sim.runFor(100 * MS)
    expect(writer.done).toBe(false)
    expect(reader.rows).toEqual(['10'])
    expect(cluster.node('n1').status().Rpl_semi_sync_master_wait_sessions).toBe(1)
    cluster.sim.runFor(8 * SECOND)
    expect(writer.ok).toBe(true)
  })

  it('C9: AFTER_SYNC with no ack possible: others do not see the row until the writer returns, yet gtid_binlog_pos holds it', () => {
    const cluster = bootCluster({ master: { waitPoint: 'after_sync', timeoutMs: 8000 } })
    partitionReplicas(cluster)
    const writer = send(cluster, 'n1', insert(11))
    cluster.sim.runFor(100 * MS)
    const reader = send(cluster, 'n1', readSet)
    cluster.sim.runFor(100 * MS)
    expect(writer.done).toBe(false)
    expect(reader.rows).toEqual([])
    expect(formatGtid(cluster.node('n1').lastBinlogGtid())).toBe('0-1-1')
    cluster.sim.runFor(8 * SECOND)
    expect(writer.ok).toBe(true)
    const later = send(cluster, 'n1', readSet)
    cluster.sim.runFor(10 * MS)
    expect(later.rows).toEqual(['11'])
  })

  it('C10: AFTER_SYNC with the ack delayed after receipt: the replica shows the row while a primary session does not', () => {
    const cluster = bootCluster({ master: { waitPoint: 'after_sync', timeoutMs: 60_000 } })
    cluster.network.setLatency('n2', 'n1', { meanNs: 500 * MS, jitterNs: 0 })
    const writer = send(cluster, 'n1', insert(1))
    cluster.sim.runFor(100 * MS)
    expect(keysOn(cluster, 'n2')).toEqual(['1'])
    const reader = send(cluster, 'n1', readSet)
    cluster.sim.runFor(10 * MS)
    expect(reader.rows).toEqual([])
    expect(writer.done).toBe(false)
    cluster.sim.runFor(600 * MS)
    expect(writer.ok).toBe(true)
    expect(cluster.node('n1').status().Rpl_semi_sync_master_yes_tx).toBe(1)
  })

  it('C12 (MariaDB): wait_no_slave=OFF with no semi-sync replica connected: no wait, status stays ON, no_tx+1', () => {
    const cluster = bootCluster({ flavor: 'mariadb', master: { waitNoSlave: false, timeoutMs: 10_000 } })
    cluster.node('n2').channel.stopIo()
    cluster.sim.runFor(10 * MS)
    expect(cluster.node('n1').status().Rpl_semi_sync_master_clients).toBe(0)
    const start = cluster.sim.now()
    const write = send(cluster, 'n1', insert(1))
    cluster.sim.runFor(20 * MS)
    expect(write.ok).toBe(true)
    expect((write.at as number) - start).toBeLessThan(10 * MS)
    const status = cluster.node('n1').status()
    expect(status.Rpl_semi_sync_master_status).toBe('ON')
    expect(status.Rpl_semi_sync_master_no_tx).toBe(1)
    expect(status.Rpl_semi_sync_master_no_times).toBe(0)
  })

  it('C12 (MySQL): wait_no_replica=OFF: a stopped replica counts until the next commit; then status OFF, no_times+1', () => {
    const cluster = bootCluster({ flavor: 'mysql', master: { waitNoSlave: false, timeoutMs: 10_000 } })
    expect(cluster.node('n1').status().Rpl_semi_sync_master_status).toBe('ON')
    cluster.node('n2').channel.stopIo()
    cluster.sim.runFor(200 * MS)
    // MySQL 9.7.4: the source notices only when it next ships an event to the replica.
    expect(cluster.node('n1').status()).toMatchObject({
      Rpl_semi_sync_master_clients: 1,
      Rpl_semi_sync_master_status: 'ON',
    })
    const sent = cluster.sim.now()
    const write = send(cluster, 'n1', insert(1))
    cluster.sim.runFor(1500 * MS)
    expect(write.ok).toBe(true)
    // It waited until the source noticed (about a second), far less than the 10 s timeout.
    const waitedMs = ((write.at ?? Infinity) - sent) / MS
    expect(waitedMs).toBeGreaterThan(500)
    expect(waitedMs).toBeLessThan(3000)
    expect(cluster.node('n1').status()).toMatchObject({
      Rpl_semi_sync_master_clients: 0,
      Rpl_semi_sync_master_status: 'OFF',
      Rpl_semi_sync_master_no_times: 1,
      Rpl_semi_sync_master_no_tx: 1,
    })
  })

  it('C13 (MySQL): wait_for_slave_count=2 with one semi-sync replica: each commit waits T then no_tx, OFF; with two acking: yes_tx', () => {
    const short = bootCluster({
      flavor: 'mysql',
      replicas: 1,
      semiSyncReplicas: 1,
      master: { waitForSlaveCount: 2, timeoutMs: 1000 },
    })
    const write = send(short, 'n1', insert(1))
    short.sim.runFor(900 * MS)
    expect(write.done).toBe(false)
    short.sim.runFor(200 * MS)
    expect(write.ok).toBe(true)
    expect(short.node('n1').status()).toMatchObject({
      Rpl_semi_sync_master_no_tx: 1,
      Rpl_semi_sync_master_status: 'OFF',
    })

    const full = bootCluster({
      flavor: 'mysql',
      replicas: 2,
      semiSyncReplicas: 2,
      master: { waitForSlaveCount: 2, timeoutMs: 1000 },
    })
    const acked = send(full, 'n1', insert(1))
    full.sim.runFor(100 * MS)
    expect(acked.ok).toBe(true)
    expect(full.node('n1').status()).toMatchObject({
      Rpl_semi_sync_master_yes_tx: 1,
      Rpl_semi_sync_master_status: 'ON',
    })
  })

  it('C15: AFTER_SYNC, kill -9 while a waiter is blocked and no replica acked, normal restart: the transaction is committed; the client saw a lost connection', () => {
    const cluster = bootCluster({ master: { waitPoint: 'after_sync', timeoutMs: 60_000 } })
    partitionReplicas(cluster)
    const writer = send(cluster, 'n1', insert(20))
    cluster.sim.runFor(100 * MS)
    expect(writer.done).toBe(false)
    cluster.node('n1').kill()
    cluster.sim.runFor(10 * MS)
    expect(writer.ok).toBe(false)
    expect(writer.error?.code).toBe('connection-lost')
    expect(writer.error?.definite).toBe(false)
    cluster.node('n1').start('commit')
    expect(keysOn(cluster, 'n1')).toEqual(['20'])
    expect(keysOn(cluster, 'n2')).toEqual([])
    expect(cluster.node('n1').log.some((l) => l.message.includes('prepared transaction(s)'))).toBe(true)
  })

  it('C16 (MariaDB): the same restarted with --init-rpl-role=SLAVE: rolled back, binlog truncated; a replica that had it gives it back on rejoin', () => {
    const cluster = bootCluster({ master: { waitPoint: 'after_sync', timeoutMs: 60_000 } })
    send(cluster, 'n1', insert(1))
    cluster.sim.runFor(50 * MS)
    partitionReplicas(cluster)
    send(cluster, 'n1', insert(21))
    cluster.sim.runFor(100 * MS)
    cluster.node('n1').kill()
    cluster.node('n1').start('truncate')
    expect(keysOn(cluster, 'n1')).toEqual(['1'])
    expect(formatGtid(cluster.node('n1').lastBinlogGtid())).toBe('0-1-1')
    expect(cluster.node('n1').log.some((l) => l.message.includes('Successfully truncated binlog'))).toBe(true)

    // Second case: the replica received the transaction before the crash; the old primary gets it back.
    const other = bootCluster({ master: { waitPoint: 'after_sync', timeoutMs: 60_000 } })
    other.network.setLatency('n2', 'n1', { meanNs: 10 * SECOND, jitterNs: 0 }) // the ack never makes it in time
    send(other, 'n1', insert(7))
    other.sim.runFor(100 * MS)
    expect(keysOn(other, 'n2')).toEqual(['7'])
    other.node('n1').kill()
    other.node('n1').start('truncate')
    expect(keysOn(other, 'n1')).toEqual([])
    other.network.clearLatencies()
    other.node('n2').promote(other.node('n2').masterSettings)
    other.node('n1').adoptBinlogPositionAsSlavePosition()
    other.node('n1').replicateFrom('n2')
    other.sim.runFor(100 * MS)
    expect(keysOn(other, 'n1')).toEqual(['7'])
  })

  it('C22: one ack releases every waiter at or below its position, whichever replica sent it', () => {
    const cluster = bootCluster({ replicas: 2, semiSyncReplicas: 2, master: { timeoutMs: 60_000 } })
    // n3's link is slow; n2 acks. Then n2 is cut and n3 alone releases the later waiters.
    cluster.network.setLatency('n3', 'n1', { meanNs: 5 * SECOND, jitterNs: 0 })
    const early = [1, 2, 3].map((k) => send(cluster, 'n1', insert(k)))
    cluster.sim.runFor(50 * MS)
    expect(early.every((o) => o.ok)).toBe(true)
    cluster.network.cutLink('n1', 'n2')
    const late = [4, 5].map((k) => send(cluster, 'n1', insert(k)))
    cluster.sim.runFor(1 * SECOND)
    expect(late.some((o) => o.done)).toBe(false)
    cluster.sim.runFor(5 * SECOND)
    expect(late.every((o) => o.ok)).toBe(true)
    expect(Math.abs((late[0]?.at as number) - (late[1]?.at as number))).toBeLessThan(2 * MS)
    expect(cluster.node('n1').status().Rpl_semi_sync_master_yes_tx).toBe(5)
  })
})
