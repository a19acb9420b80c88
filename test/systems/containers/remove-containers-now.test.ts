import { describe, expect, it } from 'vitest'
import { tempDir } from '../../harness/cli/cli-kit.js'
import { mariadbDialect } from '../../../systems/mariadb/mariadb-dialect.js'
import { freePort } from '../../../systems/real-servers/free-port.js'
import { containersForTests, containersOfRuns, hostingForTests, REQUIRE_CONTAINERS } from './containers-for-tests.js'

const found = await containersForTests()
const image = found?.images.mariadb ?? null

describe.skipIf(image === null && !REQUIRE_CONTAINERS)("an exit handler's last resort", () => {
  it('removes every container of the hosting before it returns (nothing can be awaited there)', async () => {
    const runDir = tempDir('ssc-killnow-')
    const { hosting, node } = await hostingForTests(mariadbDialect(), image as string, runDir)
    for (const name of ['n1', 'n2']) {
      const server = node(name)
      // Running is enough here; whether the server inside accepts connections yet does not matter.
      await server.start({ port: await freePort(), startOptions: [], ready: async () => true })
    }
    expect(await containersOfRuns(found!.client, runDir)).toHaveLength(2)
    hosting.killNow()
    expect(await containersOfRuns(found!.client, runDir)).toEqual([])
  }, 120_000)
})
