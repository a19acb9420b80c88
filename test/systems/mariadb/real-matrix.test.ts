import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../harness/cli/cli-kit.js'
import { findScenario } from '../../../harness/scenarios/catalogue.js'
import { runScenarioRow } from '../../../harness/scenarios/run-scenario.js'
import type { ScenarioMode } from '../../../harness/scenarios/scenario.js'
import { SKIP_REAL_SERVERS } from './mariadb-available.js'

const resultsDir = tempDir('ssc-real-matrix-')
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }))

/** A short real-MariaDB matrix: one safe configuration and the hazards that need real processes to be believed. */
const ROWS: Array<[string, ScenarioMode]> = [
  ['kill-primary', 'after_sync'],
  ['kill-primary-waiting-commits', 'after_commit'],
  ['timeout-fallback', 'after_sync'],
  ['rejoin-as-is', 'after_sync'],
  ['kill-waiter', 'after_sync'],
  ['wait-no-slave-off', 'after_sync'],
]

describe.skipIf(SKIP_REAL_SERVERS)('catalogue rows on real MariaDB processes', () => {
  for (const [name, mode] of ROWS) {
    it(`${name} [${mode}]`, async () => {
      const scenario = findScenario(name)
      expect(scenario).toBeDefined()
      const row = await runScenarioRow(scenario!, mode, 1, { db: 'mariadb', resultsDir })
      expect(row.reason ?? 'pass').toBe('pass')
      expect(row.pass).toBe(true)
    }, 120_000)
  }
})
