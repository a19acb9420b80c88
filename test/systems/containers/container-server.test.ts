import { createServer, type Server } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../harness/cli/cli-kit.js'
import type { ContainerHosting } from '../../../systems/containers/container-hosting.js'
import { mysqlDialect } from '../../../systems/mysql/mysql-dialect.js'
import { AdminConnection } from '../../../systems/real-servers/admin-connection.js'
import { freePort } from '../../../systems/real-servers/free-port.js'
import { ServerStartError } from '../../../systems/real-servers/server-start-error.js'
import { containersForTests, hostingForTests, REQUIRE_CONTAINERS } from './containers-for-tests.js'

const found = await containersForTests()
const image = found?.images.mysql ?? null
const squatters: Server[] = []
const hostings: ContainerHosting[] = []
afterAll(async () => {
  for (const squatter of squatters) squatter.close()
  for (const hosting of hostings) hosting.killNow()
})

describe.skipIf(image === null && !REQUIRE_CONTAINERS)("a node's server in a container", () => {
  it('fails to start on a port someone took, saying so, and the same container starts on another port', async () => {
    const runDir = tempDir('ssc-ctport-')
    const { hosting, admin: account, node } = await hostingForTests(mysqlDialect(), image as string, runDir)
    hostings.push(hosting)
    const server = node('n1')
    const admin = (port: number): AdminConnection => new AdminConnection('n1', port, account)

    const taken = await freePort()
    const squatter = createServer()
    await new Promise<void>((resolve) => squatter.listen(taken, '127.0.0.1', resolve))
    squatters.push(squatter)
    const refused = await server.start({ port: taken, startOptions: [], ready: () => admin(taken).ping() }).then(
      () => null,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(ServerStartError)
    expect((refused as ServerStartError).portTaken, (refused as Error).message).toBe(true)
    expect(server.isRunning).toBe(false)

    const port = await freePort()
    const session = admin(port)
    await server.start({ port, startOptions: [], ready: () => session.ping() })
    expect(server.isRunning).toBe(true)
    const [row] = await session.query<{ port: number } & import('mysql2/promise').RowDataPacket>(
      'SELECT @@port AS port',
    )
    expect(Number(row?.port)).toBe(port)
    session.close()

    await server.kill()
    expect(server.isRunning).toBe(false)
    expect(await server.logTail()).toMatch(/container log: .*\S/)
    await server.remove()
  }, 180_000)
})
