import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../harness/cli/cli-kit.js'
import { DEFAULT_CONFIG, type TestConfig } from '../../harness/config/test-config.js'
import { validateConfig } from '../../harness/config/validate-config.js'
import { openSystem } from '../../harness/run/open-system.js'
import { mariadbForTests } from '../systems/mariadb/mariadb-available.js'
import { mysqlForTests } from '../systems/mysql/mysql-available.js'
import { containersForTests } from '../systems/containers/containers-for-tests.js'
import { PROBES, ProbeContext, type Probe } from './probes.js'

const resultsDir = tempDir('ssc-probe-')
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }))

async function traceOn(
  db: TestConfig['db'],
  flavor: TestConfig['flavor'],
  probe: Probe,
  image: string | null = null,
): Promise<string[]> {
  const config = validateConfig({
    ...DEFAULT_CONFIG,
    ...probe.config,
    db,
    flavor,
    ...(image === null ? {} : { image }),
    ...(flavor === 'mysql' ? { rejoin: 'as-is' } : {}),
    seed: 1,
    nemesis: ['none'],
    resultsDir,
  })
  const opened = await openSystem(config, { runDir: null, tables: ['set'] })
  try {
    return await opened.drive(async () => {
      const ctx = new ProbeContext(opened.cluster, probe.timeoutMs)
      await ctx.connected(config.semiSync ? config.semiSyncReplicas : 0)
      await probe.run(ctx)
      return ctx.trace
    })
  } finally {
    await opened.close()
  }
}

/**
 * Containers take a few seconds more per cluster than processes: their comparison runs when asked for
 * (SEMISYNC_CHAOS_CONTAINER_PROBES=1, as .ci/run does), against the images setup/install-containers.sh builds.
 */
const CONTAINER_PROBES = process.env.SEMISYNC_CHAOS_CONTAINER_PROBES === '1'
const images = CONTAINER_PROBES ? ((await containersForTests())?.images ?? { mariadb: null, mysql: null }) : null

/** Each real server beside the engine personality that imitates it. */
const SERVERS = [
  {
    db: 'mariadb',
    flavor: 'mariadb',
    image: null,
    installed: mariadbForTests() !== null,
    install: 'apt-get install -y mariadb-server',
  },
  {
    db: 'mysql',
    flavor: 'mysql',
    image: null,
    installed: mysqlForTests() !== null,
    install: 'bash setup/install-mysql.sh',
  },
  ...(images === null
    ? []
    : (['mariadb', 'mysql'] as const).map((db) => ({
        db,
        flavor: db,
        image: images[db],
        installed: images[db] !== null,
        install: 'bash setup/install-containers.sh',
      }))),
] as const

// CI installs both servers; a developer machine without one skips its comparison (and says so).
const requireServer = process.env.CI === 'true' || CONTAINER_PROBES
for (const { db, flavor, image, installed, install } of SERVERS) {
  const where = image === null ? `real ${db}` : `${db} in containers of ${image}`
  describe.skipIf(!installed && !requireServer)(
    `model vs server: the engine (${flavor} personality) and ${where} give the same trace`,
    () => {
      it(`has a ${db} server to compare with`, () => {
        expect(installed, `${db} not found: ${install}`).toBe(true)
      })
      for (const probe of PROBES.filter((p) => p.flavors === undefined || p.flavors.includes(flavor))) {
        it(
          probe.name,
          async () => {
            const [engine, server] = [await traceOn('sim', flavor, probe), await traceOn(db, flavor, probe, image)]
            expect(engine).toEqual(server)
          },
          120_000,
        )
      }
    },
  )
}
