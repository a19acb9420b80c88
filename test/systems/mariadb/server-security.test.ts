import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../harness/config/test-config.js'
import { validateConfig } from '../../../harness/config/validate-config.js'
import { openSystem, type OpenedSystem } from '../../../harness/run/open-system.js'
import { tempDir } from '../../harness/cli/cli-kit.js'
import { SKIP_REAL_SERVERS } from './mariadb-available.js'

// Every server is on 127.0.0.1, but other local users share that address: a run must not hand them the database.
describe.skipIf(SKIP_REAL_SERVERS)('a running cluster is closed to other local users', () => {
  const runDir = join(tempDir(), 'run')
  let opened: OpenedSystem
  const nodes = ['n1', 'n2', 'n3']
  const portOf = (node: string): number =>
    Number(/^port=(\d+)$/m.exec(readFileSync(join(runDir, 'nodes', node, 'my.cnf'), 'utf8'))?.[1])
  const credentials = (): { admin: { user: string; password: string } } =>
    JSON.parse(readFileSync(join(runDir, 'credentials.json'), 'utf8'))

  beforeAll(async () => {
    const config = validateConfig({ ...DEFAULT_CONFIG, db: 'mariadb', nemesis: ['none'], resultsDir: tempDir() })
    opened = await openSystem(config, { runDir, tables: ['set'] })
  }, 120_000)
  afterAll(async () => opened?.close())

  it('root has no password-less way in over TCP, nor does any account the old fixed passwords named', async () => {
    for (const node of nodes) {
      for (const account of [
        { user: 'root', password: '' },
        { user: 'chaos', password: 'chaos' },
        { user: 'ssc_admin', password: '' },
      ]) {
        await expect(
          createConnection({ host: '127.0.0.1', port: portOf(node), ...account, connectTimeout: 5000 }),
          `${account.user} on ${node}`,
        ).rejects.toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR' })
      }
    }
  })

  it('keeps the run credentials in the run folder, readable by its owner only', () => {
    const path = join(runDir, 'credentials.json')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(credentials().admin.password).toMatch(/^[A-Za-z0-9_-]{24}$/)
  })

  it('lets even the admin account write files only inside the node folder (secure_file_priv)', async () => {
    const connection = await createConnection({ host: '127.0.0.1', port: portOf('n1'), ...credentials().admin })
    try {
      const [rows] = await connection.query('SELECT @@secure_file_priv AS dir')
      expect((rows as Array<{ dir: string }>)[0]?.dir).toBe(`${join(runDir, 'nodes', 'n1', 'files')}/`)
      const outside = join(tempDir(), 'outfile')
      await expect(connection.query(`SELECT 'x' INTO OUTFILE '${outside}'`)).rejects.toMatchObject({
        code: 'ER_OPTION_PREVENTS_STATEMENT',
      })
      expect(existsSync(outside)).toBe(false)
    } finally {
      await connection.end()
    }
  })

  it.skipIf(process.getuid?.() !== 0)('runs the servers as an unprivileged user when the harness is root', () => {
    for (const node of nodes) {
      const pid = Number(readFileSync(join(runDir, 'nodes', node, 'server.pid'), 'utf8').trim())
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
      expect(uid, `${node} (pid ${pid})`).not.toBe(0)
    }
    expect(readdirSync(join(runDir, 'nodes')).sort()).toEqual(nodes)
  })

  it.skipIf(process.getuid?.() !== 0 || !existsSync('/usr/sbin/runuser') || !existsSync('/usr/bin/mariadb'))(
    "another local user's root login is refused (the issue's reproduction)",
    () => {
      const attempt = (): Buffer =>
        execFileSync(
          'runuser',
          ['-u', 'nobody', '--', 'mariadb', '-h127.0.0.1', `-P${portOf('n1')}`, '-uroot', '-e', 'SELECT 1'],
          { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 },
        )
      expect(attempt).toThrow(/Access denied/)
    },
  )
})
