import { describe, expect, it } from 'vitest'
import { bootCluster, insert, keysOn, MS, partitionReplicas, readSet, SECOND, send } from './engine-test-kit.js'

describe('MariaDB vs MySQL personalities', () => {
  it('C11 (MariaDB): KILL of a waiting session releases it at once; the row stays committed; status ON; no_tx+1', () => {
    const cluster = bootCluster({ flavor: 'mariadb', master: { waitPoint: 'after_sync', timeoutMs: 30_000 } })
    partitionReplicas(cluster)
    const writer = send(cluster, 'n1', insert(12))
    cluster.sim.runFor(1500 * MS)
    const primary = cluster.node('n1')
    const [session] = primary.waitingSessions()
    expect(session).toBeDefined()
    primary.killSession(session as number)
    cluster.sim.runFor(10 * MS)
    expect(writer.ok).toBe(false)
    expect(writer.error?.code).toBe('killed')
    expect(writer.error?.definite).toBe(false)
    expect(keysOn(cluster, 'n1')).toEqual(['12'])
    expect(primary.status()).toMatchObject({
      Rpl_semi_sync_master_status: 'ON',
      Rpl_semi_sync_master_no_tx: 1,
      Rpl_semi_sync_master_no_times: 0,
    })
  })

  it('MariaDB AFTER_SYNC group commit (observed on 10.11): one session waits for the ack per group; KILLing it commits its whole group, the others OK without an ack', () => {
    const cluster = bootCluster({ flavor: 'mariadb', master: { waitPoint: 'after_sync', timeoutMs: 60_000 } })
    partitionReplicas(cluster)
    const primary = cluster.node('n1')
    const first = send(cluster, 'n1', insert(1)) // group 1: waits for its ack
    cluster.sim.runFor(20 * MS)
    const second = send(cluster, 'n1', insert(2)) // group 2: binlogged, waits for the wait stage
    cluster.sim.runFor(20 * MS)
    const rest = [3, 4, 5].map((k) => send(cluster, 'n1', insert(k))) // queued: the next group
    cluster.sim.runFor(20 * MS)
    expect(primary.status().Rpl_semi_sync_master_wait_sessions).toBe(1)
    expect(primary.waitingSessions()).toHaveLength(1)

    primary.killSession(primary.waitingSessions()[0] as number) // group 1 leader
    cluster.sim.runFor(20 * MS)
    expect(first.error?.code).toBe('killed')
    expect(second.done).toBe(false)
    primary.killSession(primary.waitingSessions()[0] as number) // group 2 leader
    cluster.sim.runFor(20 * MS)
    expect(second.error?.code).toBe('killed')
    expect(rest.some((o) => o.done)).toBe(false)
    primary.killSession(primary.waitingSessions()[0] as number) // leader of {3, 4, 5}
    cluster.sim.runFor(20 * MS)
    // Whichever of them reached the server first led the group and got the error; the others were acknowledged,
    // yet no replica has them.
    expect(rest.filter((o) => o.error?.code === 'killed')).toHaveLength(1)
    expect(rest.filter((o) => o.ok)).toHaveLength(2)
    expect(keysOn(cluster, 'n1').sort()).toEqual(['1', '2', '3', '4', '5'])
    expect(keysOn(cluster, 'n2')).toEqual([])
    expect(primary.status()).toMatchObject({
      Rpl_semi_sync_master_status: 'ON',
      Rpl_semi_sync_master_no_tx: 5,
      Rpl_semi_sync_master_yes_tx: 0,
    })
  })

  it('MySQL: KILL drops the client at once, but the commit goes on waiting, invisible, until the timeout', () => {
    const cluster = bootCluster({ flavor: 'mysql', master: { waitPoint: 'after_sync', timeoutMs: 3000 } })
    partitionReplicas(cluster)
    const writer = send(cluster, 'n1', insert(12))
    cluster.sim.runFor(500 * MS)
    const primary = cluster.node('n1')
    primary.killSession(primary.waitingSessions()[0] as number)
    cluster.sim.runFor(100 * MS)
    // The client lost its connection (error 2013 on MySQL 9.7.4): it cannot know whether it committed.
    expect(writer.done).toBe(true)
    expect(writer.ok).toBe(false)
    expect(primary.status().Rpl_semi_sync_master_wait_sessions).toBe(1)
    expect(keysOn(cluster, 'n1')).toEqual([])
    cluster.sim.runFor(3 * SECOND)
    expect(primary.status().Rpl_semi_sync_master_wait_sessions).toBe(0)
    expect(keysOn(cluster, 'n1')).toEqual(['12'])
  })

  it('MariaDB (near miss): KILL releases the waiter, whose commit stands unacked and visible at once', () => {
    const cluster = bootCluster({ flavor: 'mariadb', master: { waitPoint: 'after_sync', timeoutMs: 3000 } })
    partitionReplicas(cluster)
    send(cluster, 'n1', insert(12))
    cluster.sim.runFor(500 * MS)
    const primary = cluster.node('n1')
    primary.killSession(primary.waitingSessions()[0] as number)
    cluster.sim.runFor(100 * MS)
    expect(primary.status().Rpl_semi_sync_master_wait_sessions).toBe(0)
    expect(keysOn(cluster, 'n1')).toEqual(['12'])
  })

  it('a paused primary runs no timer: the semi-sync timeout fires only after SIGCONT', () => {
    const cluster = bootCluster({ master: { timeoutMs: 1000 } })
    partitionReplicas(cluster)
    const writer = send(cluster, 'n1', insert(1))
    cluster.sim.runFor(100 * MS)
    cluster.node('n1').pause()
    cluster.sim.runFor(5 * SECOND)
    expect(writer.done).toBe(false)
    expect(cluster.node('n1').status().Rpl_semi_sync_master_status).toBe('ON')
    cluster.node('n1').resume()
    cluster.sim.runFor(10 * MS)
    expect(writer.ok).toBe(true)
    expect(cluster.node('n1').status().Rpl_semi_sync_master_status).toBe('OFF')
  })

  it('C21: an old primary holding an unacked, recovered GTID is refused by the new primary with error 1236', () => {
    const cluster = bootCluster({ replicas: 1, master: { waitPoint: 'after_sync', timeoutMs: 60_000 } })
    send(cluster, 'n1', insert(1))
    cluster.sim.runFor(50 * MS)
    partitionReplicas(cluster)
    send(cluster, 'n1', insert(2))
    cluster.sim.runFor(50 * MS)
    cluster.node('n1').kill()
    cluster.network.healAll()
    cluster.node('n2').promote(cluster.node('n2').masterSettings)
    const write = send(cluster, 'n2', insert(3))
    cluster.sim.runFor(50 * MS)
    cluster.node('n1').start('commit') // normal restart: XA recovery commits element 2
    cluster.node('n1').adoptBinlogPositionAsSlavePosition()
    cluster.node('n1').replicateFrom('n2')
    cluster.sim.runFor(200 * MS)
    expect(write.done).toBe(false) // n2 has no semi-sync replica acking (n1 is not one): it waits
    expect(keysOn(cluster, 'n1').sort()).toEqual(['1', '2'])
    expect(cluster.node('n1').channel.ioState).toBe('error')
    expect(cluster.node('n1').channel.lastIoError).toMatch(
      /1236.*diverged due to executing extra erroneous transactions/,
    )
  })

  it('a replica refuses client writes (read_only) with a definite error', () => {
    const cluster = bootCluster()
    const write = send(cluster, 'n2', insert(1))
    const read = send(cluster, 'n2', readSet)
    cluster.sim.runFor(10 * MS)
    expect(write.error?.code).toBe('read-only')
    expect(write.error?.definite).toBe(true)
    expect(read.rows).toEqual([])
  })

  it('a duplicate key is a definite failure, also while the first insert still waits for its ack (row lock)', () => {
    const cluster = bootCluster({ master: { waitPoint: 'after_sync', timeoutMs: 1000 } })
    partitionReplicas(cluster)
    const first = send(cluster, 'n1', insert(5))
    cluster.sim.runFor(10 * MS)
    const second = send(cluster, 'n1', insert(5))
    cluster.sim.runFor(500 * MS)
    expect(second.done).toBe(false) // waits on the row lock the prepared insert holds
    cluster.sim.runFor(600 * MS)
    expect(first.ok).toBe(true)
    expect(second.error?.code).toBe('duplicate-key')
  })
})
