import { createServer, type Server } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findMariadb } from '../../../systems/mariadb/mariadb-binaries.js'
import { mariadbDialect } from '../../../systems/mariadb/mariadb-dialect.js'
import { ServerCluster } from '../../../systems/real-servers/server-cluster.js'
import { LocalProcessHosting } from '../../../systems/real-servers/local-process-hosting.js'
import { mariadbTemplate } from '../../../systems/mariadb/datadir-template.js'
import { freePort } from '../../../systems/real-servers/free-port.js'
import { startToxiproxyServer } from '../../../toxiproxy/index.js'
import { tempDir } from '../../harness/cli/cli-kit.js'
import { SKIP_REAL_SERVERS } from './mariadb-available.js'

/** Listens on a free port, as another process that got there first would. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as { port: number }).port, server }
}

describe('free ports', () => {
  it('are drawn below the ephemeral range, where outgoing connections never take them', async () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    for (let i = 0; i < 20; i++) expect(await freePort()).toBeLessThan(low as number)
  })
})

describe.skipIf(SKIP_REAL_SERVERS)('a port taken between the draw and the bind', () => {
  const occupied: Server[] = []
  afterAll(() => occupied.forEach((s) => s.close()))

  it('sends a server and a proxy to fresh ports, and the cluster comes up', async () => {
    const serverTaken = await occupiedPort()
    const proxyTaken = await occupiedPort()
    occupied.push(serverTaken.server, proxyTaken.server)
    // The first server port drawn, and the first proxy port drawn, are already taken.
    const taken = [serverTaken.port, proxyTaken.port]
    let draws = 0
    const ports = async (): Promise<number> => {
      draws++
      if (draws === 1) return taken[0] as number
      if (draws === 4) return taken[1] as number // n1–n3 drew 1–3; the first proxy draws next
      return freePort()
    }
    const toxiproxy = await startToxiproxyServer({ port: 0, seed: 1 })
    const log: string[] = []
    const runDir = join(tempDir(), 'run')
    const binaries = findMariadb()
    const cluster = await ServerCluster.start({
      dialect: mariadbDialect(),
      hosting: new LocalProcessHosting({
        dialect: mariadbDialect(),
        binaries: {
          binary: binaries.mariadbd,
          version: binaries.version,
          templateDatadir: () => mariadbTemplate(binaries),
        },
        runDir,
        storeDir: tempDir(),
        keepData: false,
      }),
      runDir,
      replicas: 2,
      semiSyncReplicas: 2,
      semiSync: true,
      waitPoint: 'after_sync',
      timeoutMs: 10_000,
      waitNoReplica: true,
      waitForReplicaCount: 1,
      syncRelayLog: 1,
      tables: ['set'],
      toxiproxy: { url: toxiproxy.url },
      log: (line) => log.push(line),
      ports,
    })
    try {
      expect(log.join('\n')).toMatch(new RegExp(`n1: port ${serverTaken.port} was taken .* trying \\d+`))
      expect(readFileSync(join(runDir, 'nodes', 'n1', 'my.cnf'), 'utf8')).not.toContain(`port=${serverTaken.port}\n`)
      const proxies = (await (await fetch(`${toxiproxy.url}/proxies`)).json()) as Record<string, { listen: string }>
      const listens = Object.values(proxies).map((p) => p.listen)
      expect(listens).toHaveLength(9)
      expect(listens).not.toContain(`127.0.0.1:${proxyTaken.port}`)
      expect((await cluster.replicaState('n2')).io).toBe('running')

      // A node restarted after a kill finds its port taken: it moves, and the proxies in front of it follow.
      await cluster.kill('n2')
      const n2Port = Number(/^port=(\d+)$/m.exec(readFileSync(join(runDir, 'nodes', 'n2', 'my.cnf'), 'utf8'))?.[1])
      const squatter = createServer()
      await new Promise<void>((resolve) => squatter.listen(n2Port, '127.0.0.1', resolve))
      occupied.push(squatter)
      await cluster.start('n2', 'commit')
      expect(log.join('\n')).toMatch(new RegExp(`n2: port ${n2Port} was taken .* trying \\d+`))
      const client = cluster.connect('n2') // through the clients' proxy in front of n2
      try {
        const rows = await client.execute({ kind: 'select-all', table: 'set' }, 5e9)
        expect(rows.kind).toBe('rows')
      } finally {
        client.close()
      }
    } finally {
      await cluster.teardown()
      await toxiproxy.close()
    }
  }, 120_000)
})
