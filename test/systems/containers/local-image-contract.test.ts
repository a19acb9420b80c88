import { afterAll, describe, expect, it } from 'vitest'
import mysql from 'mysql2/promise'
import type { StartedTestContainer } from 'testcontainers'
import { containerEngine } from '../../../systems/containers/container-engine.js'
import { freePort } from '../../../systems/real-servers/free-port.js'
import { containersForTests, REQUIRE_CONTAINERS } from './containers-for-tests.js'

const found = await containersForTests()
const started: StartedTestContainer[] = []
afterAll(async () => {
  for (const container of started) await container.stop({ timeout: 0 }).catch(() => undefined)
})

/** Starts the image on the host network, listening on a free port of 127.0.0.1 (passed as server arguments). */
async function run(
  image: string,
  environment: Record<string, string>,
  files: { content: string; target: string }[] = [],
): Promise<{ container: StartedTestContainer; port: number }> {
  const { testcontainers } = await containerEngine()
  const port = await freePort()
  const container = await new testcontainers.GenericContainer(image)
    .withNetworkMode('host')
    .withEnvironment(environment)
    .withCommand([`--port=${port}`, '--bind-address=127.0.0.1', '--log-bin=bin', '--server-id=1'])
    .withCopyContentToContainer(files)
    .start()
  started.push(container)
  return { container, port }
}

async function connect(port: number, user: string, password: string): Promise<mysql.Connection> {
  const deadline = Date.now() + 90_000
  for (;;) {
    try {
      return await mysql.createConnection({ host: '127.0.0.1', port, user, password })
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

async function logText(container: StartedTestContainer): Promise<string> {
  const raw = await found!.client.container.getById(container.getId()).logs({ stdout: true, stderr: true })
  return String(raw)
}

for (const product of ['mysql', 'mariadb'] as const) {
  const image = found?.images[product] ?? null
  describe.skipIf(image === null && !REQUIRE_CONTAINERS)(`the local ${product} image's entrypoint`, () => {
    it("honours the official images' environment: root, a database, a user, and init scripts", async () => {
      const { port } = await run(
        image as string,
        {
          MYSQL_ROOT_PASSWORD: 'root-pw',
          MYSQL_ROOT_HOST: '127.0.0.1',
          MYSQL_DATABASE: 'shop',
          MYSQL_USER: 'app',
          MYSQL_PASSWORD: "it's a secret",
        },
        [{ content: 'CREATE TABLE seeded (id INT PRIMARY KEY);\n', target: '/docker-entrypoint-initdb.d/1.sql' }],
      )
      const app = await connect(port, 'app', "it's a secret")
      try {
        const [tables] = await app.query('SHOW TABLES FROM shop')
        expect(tables).toEqual([{ Tables_in_shop: 'seeded' }])
      } finally {
        await app.end()
      }
      const root = await connect(port, 'root', 'root-pw')
      try {
        // The setup was not binlogged: a fresh node owns no transactions a replica would not have.
        const [[position]] = (await root.query(
          product === 'mysql' ? 'SELECT @@gtid_executed AS p' : 'SELECT @@gtid_binlog_pos AS p',
        )) as unknown as [[{ p: string }]]
        expect(position.p).toBe('')
        const [accounts] = (await root.query(
          "SELECT CONCAT(user, '@', host) AS a FROM mysql.user WHERE user = 'root' ORDER BY host",
        )) as unknown as [{ a: string }[]]
        // No root over TCP but the one the environment asked for.
        expect(accounts.map((r) => r.a)).toEqual(['root@127.0.0.1', 'root@localhost'])
      } finally {
        await root.end()
      }
    }, 120_000)

    it('refuses to initialize without a root password option, saying which', async () => {
      const { container } = await run(image as string, {})
      const deadline = Date.now() + 30_000
      let text = ''
      while (!/password option is not specified/.test(text) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200))
        text = await logText(container)
      }
      expect(text).toMatch(/MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD/)
      const state = await found!.client.container.getById(container.getId()).inspect()
      expect(state.State.Running).toBe(false)
      expect(state.State.ExitCode).toBe(1)
    }, 60_000)

    it('generates a root password when asked, and prints it', async () => {
      const { container, port } = await run(image as string, { MARIADB_RANDOM_ROOT_PASSWORD: 'yes' })
      let password: string | undefined
      const deadline = Date.now() + 60_000
      while (password === undefined && Date.now() < deadline) {
        password = /GENERATED ROOT PASSWORD: (\S+)/.exec(await logText(container))?.[1]
        if (password === undefined) await new Promise((r) => setTimeout(r, 200))
      }
      expect(password).toBeDefined()
      const root = await connect(port, 'root', password as string)
      await root.end()
    }, 120_000)
  })
}
