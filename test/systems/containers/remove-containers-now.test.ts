import { describe, expect, it } from 'vitest'
import { tempDir } from '../../harness/cli/cli-kit.js'
import { ContainerHosting } from '../../../systems/containers/container-hosting.js'
import { mariadbDialect } from '../../../systems/mariadb/mariadb-dialect.js'
import { newRunCredentials } from '../../../systems/real-servers/run-credentials.js'
import { freePort } from '../../../systems/real-servers/free-port.js'
import { containersForTests, containersOfRuns, REQUIRE_CONTAINERS } from './containers-for-tests.js'

const found = await containersForTests()
const image = found?.images.mariadb ?? null

describe.skipIf(image === null && !REQUIRE_CONTAINERS)("an exit handler's last resort", () => {
  it('removes every container of the hosting before it returns (nothing can be awaited there)', async () => {
    const runDir = tempDir('ssc-killnow-')
    const hosting = new ContainerHosting({ dialect: mariadbDialect(), image: image as string, runDir })
    await hosting.prepare()
    const credentials = newRunCredentials()
    const semiSync = {
      sourceEnabled: false,
      replicaEnabled: false,
      waitPoint: 'after_sync',
      timeoutMs: 1000,
      waitNoReplica: true,
      waitForReplicaCount: 1,
    } as const
    for (const name of ['n1', 'n2']) {
      const server = hosting.node({ name, serverId: 1, semiSync, syncRelayLog: 1 }, credentials)
      // Running is enough here; whether the server inside accepts connections yet does not matter.
      await server.start({ port: await freePort(), startOptions: [], ready: async () => true })
    }
    expect(await containersOfRuns(found!.client, runDir)).toHaveLength(2)
    hosting.killNow()
    expect(await containersOfRuns(found!.client, runDir)).toEqual([])
  }, 120_000)
})
