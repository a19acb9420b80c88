import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../harness/cli/cli-kit.js'
import { DEFAULT_CONFIG, validateConfig, type TestConfig } from '../../harness/config/test-config.js'
import { findMariadb, type MariadbBinaries } from '../../systems/mariadb/mariadb-binaries.js'
import { openSystem } from '../../harness/run/open-system.js'
import { PROBES, ProbeContext, type Probe } from './probes.js'

function mariadb(): MariadbBinaries | null {
  try {
    return findMariadb()
  } catch {
    return null
  }
}

const binaries = mariadb()
const resultsDir = tempDir('ssc-probe-')
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }))

async function traceOn(db: TestConfig['db'], probe: Probe): Promise<string[]> {
  const config = validateConfig({ ...DEFAULT_CONFIG, ...probe.config, db, seed: 1, nemesis: ['none'], resultsDir })
  const opened = await openSystem(config, { runDir: null, tables: ['set'] })
  try {
    return await opened.drive(async () => {
      const ctx = new ProbeContext(opened.cluster, probe.timeoutMs)
      await probe.run(ctx)
      return ctx.trace
    })
  } finally {
    await opened.close()
  }
}

// CI installs mariadb-server; a developer machine without it skips the comparison (and says so).
const requireServer = process.env.CI === 'true'
describe.skipIf(!binaries && !requireServer)(
  'model vs server: the engine (MariaDB personality) and mariadbd give the same trace',
  () => {
    it('has a mariadbd to compare with', () => {
      expect(binaries, 'mariadbd not found: apt-get install -y mariadb-server').not.toBeNull()
    })
    for (const probe of PROBES) {
      it(
        probe.name,
        async () => {
          const [engine, server] = [await traceOn('sim', probe), await traceOn('mariadb', probe)]
          expect(engine).toEqual(server)
        },
        120_000,
      )
    }
  },
)
