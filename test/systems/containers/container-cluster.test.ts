import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../harness/cli/cli-kit.js'
import { DEFAULT_CONFIG } from '../../../harness/config/test-config.js'
import { validateConfig } from '../../../harness/config/validate-config.js'
import { runTest } from '../../../harness/run/run-test.js'
import { containersForTests, containersOfRuns, REQUIRE_CONTAINERS } from './containers-for-tests.js'

const found = await containersForTests()
const resultsDir = tempDir('ssc-containers-')
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }))

for (const db of ['mysql', 'mariadb'] as const) {
  const image = found?.images[db] ?? null
  describe.skipIf(image === null && !REQUIRE_CONTAINERS)(`a 3-node ${db} cluster in containers`, () => {
    it('has an engine and the local image (setup/install-containers.sh)', () => {
      expect(image, 'run setup/install-containers.sh').not.toBeNull()
    })

    it('loses its primary to a SIGKILL, fails over to a replica, and keeps every acknowledged commit', async () => {
      const config = validateConfig({
        ...DEFAULT_CONFIG,
        db,
        // Real MySQL runs MySQL's personality; its safe rejoin is a clone (it cannot truncate, and as it is the old
        // primary may come back with commits nobody else has: rejoin-as-is's divergence).
        ...(db === 'mysql' ? { flavor: 'mysql', rejoin: 'clone' } : {}),
        image,
        nemesis: ['kill-primary'],
        nemesisIntervalS: 3,
        timeLimitS: 7,
        seed: 1,
        resultsDir,
      })
      const outcome = await runTest(config)
      const nemesis = outcome.history.filter((op) => op.process === 'nemesis' && op.type === 'info')
      const kill = nemesis.find((op) => op.f === 'kill')
      const failover = nemesis.find((op) => op.f === 'failover')
      expect(kill?.value).toBe('n1')
      expect(failover?.value).toMatchObject({ from: 'n1', to: expect.stringMatching(/^n[23]$/) })
      const acknowledged = outcome.history.filter(
        (op) => op.process !== 'nemesis' && op.type === 'ok' && op.f === 'add',
      )
      expect(acknowledged.length).toBeGreaterThan(50)
      expect(outcome.results.valid, JSON.stringify(outcome.results.anomalies.slice(0, 2))).toBe(true)
      // Every container of the run is gone: removed through the engine, not left stopped.
      expect(await containersOfRuns(found!.client, resultsDir)).toEqual([])
    }, 240_000)
  })
}
