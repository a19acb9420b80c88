import { describe, expect, it } from 'vitest'
import { mysqlSettings } from '../../../systems/mysql/mysql-settings.js'
import { localOptionFile, type NodePaths } from '../../../systems/real-servers/node-folder.js'
import type { ServerSettings } from '../../../systems/real-servers/server-options.js'

const settings = (overrides: Partial<ServerSettings['semiSync']> = {}): ServerSettings => ({
  name: 'n1',
  serverId: 1,
  syncRelayLog: 1,
  semiSync: {
    sourceEnabled: true,
    replicaEnabled: false,
    waitPoint: 'after_commit',
    timeoutMs: 1000,
    waitNoReplica: false,
    waitForReplicaCount: 2,
    ...overrides,
  },
})

const paths: NodePaths = {
  datadir: '/tmp/r/nodes/n1/data',
  config: '/tmp/r/nodes/n1/my.cnf',
  errorLog: '/tmp/r/nodes/n1/error.log',
  pidFile: '/tmp/r/nodes/n1/server.pid',
  socket: '/tmp/s/n1.sock',
  initFile: '/tmp/r/nodes/n1/init.sql',
  files: '/tmp/r/nodes/n1/files',
  tmp: '/tmp/r/nodes/n1/tmp',
}

describe("MySQL's option file", () => {
  // A local node's option file: the same settings a container gets as its command.
  const lines = localOptionFile('mysqld', 'n1', paths, 23456, null, mysqlSettings(settings())).split('\n')

  it('is a [mysqld] group on loopback, durable, with GTID auto-positioning possible', () => {
    expect(lines[0]).toBe('[mysqld]')
    for (const line of [
      'bind-address=127.0.0.1',
      'port=23456',
      'sync-binlog=1',
      'innodb-flush-log-at-trx-commit=1',
      'sync-relay-log=1',
      'gtid-mode=ON',
      'enforce-gtid-consistency=ON',
      'log-replica-updates=ON',
      'skip-replica-start',
      'read-only=ON',
      'mysqlx=OFF',
    ])
      expect(lines).toContain(line)
  })

  it('loads both semi-sync plugins and clone, and writes every semi-sync setting under its MySQL name', () => {
    for (const line of [
      'plugin-load-add=semisync_source.so',
      'plugin-load-add=semisync_replica.so',
      'plugin-load-add=mysql_clone.so',
      'rpl-semi-sync-source-enabled=ON',
      'rpl-semi-sync-replica-enabled=OFF',
      'rpl-semi-sync-source-wait-point=AFTER_COMMIT',
      'rpl-semi-sync-source-timeout=1000',
      'rpl-semi-sync-source-wait-no-replica=OFF',
      'rpl-semi-sync-source-wait-for-replica-count=2',
    ])
      expect(lines).toContain(line)
    // No MariaDB names: MySQL refuses an unknown option (only loose- ones are skipped).
    expect(lines.filter((l) => /master|slave/.test(l))).toEqual([])
    expect(lines.filter((l) => /^[a-z]/.test(l) && l.includes('redo-log')).every((l) => l.startsWith('loose-'))).toBe(
      true,
    )
  })
})
