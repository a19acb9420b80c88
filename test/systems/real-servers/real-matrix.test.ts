import { cpSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findScenario } from '../../../harness/scenarios/catalogue.js'
import { runScenarioRow } from '../../../harness/scenarios/run-scenario.js'
import type { ScenarioMode } from '../../../harness/scenarios/scenario.js'
import { tempDir } from '../../harness/cli/cli-kit.js'
import type { TestConfig } from '../../../harness/config/test-config.js'
import { SKIP_REAL_SERVERS } from '../mariadb/mariadb-available.js'
import { SKIP_REAL_MYSQL } from '../mysql/mysql-available.js'

// The runs happen in the suite's temp folder (the servers' user can reach it); when a row fails, the store is copied
// to the cache folder before the temp folder goes, so there is something to diagnose.
const resultsDir = tempDir('ssc-real-matrix-')
let failures = 0
afterAll(() => {
  if (failures > 0) {
    const kept = join(
      homedir(),
      '.cache',
      'semisync-chaos',
      'failed-test-runs',
      `real-matrix-${Date.now()}-${process.pid}`,
    )
    cpSync(resultsDir, kept, { recursive: true })
    process.stderr.write(`real-matrix: ${failures} row(s) failed; their run folders are kept under ${kept}\n`)
  }
  rmSync(resultsDir, { recursive: true, force: true })
})

/** Short real-server matrices: one safe configuration and the hazards that need real processes to be believed. */
const MATRICES: Array<{ db: TestConfig['db']; skip: boolean; rows: Array<[string, ScenarioMode]> }> = [
  {
    db: 'mariadb',
    skip: SKIP_REAL_SERVERS,
    rows: [
      ['kill-primary', 'after_sync'],
      ['kill-primary-waiting-commits', 'after_commit'],
      ['timeout-fallback', 'after_sync'],
      ['rejoin-as-is', 'after_sync'],
      ['kill-waiter', 'after_sync'],
      ['wait-no-slave-off', 'after_sync'],
    ],
  },
  {
    db: 'mysql',
    skip: SKIP_REAL_MYSQL,
    rows: [
      ['kill-primary', 'after_sync'],
      ['timeout-fallback', 'after_sync'],
      ['rejoin-as-is', 'after_sync'],
      ['rejoin-clone', 'after_sync'],
      ['wait-for-slave-count-wrong-replica', 'after_sync'],
      ['kill-waiter', 'after_sync'],
    ],
  },
]

for (const { db, skip, rows } of MATRICES) {
  describe.skipIf(skip)(`catalogue rows on real ${db} processes`, () => {
    for (const [name, mode] of rows) {
      it(`${name} [${mode}]`, async () => {
        const scenario = findScenario(name)
        expect(scenario).toBeDefined()
        // Timing can miss a row's precondition on a loaded machine: such attempts run again, and say so.
        const row = await runScenarioRow(scenario!, mode, 1, {
          db,
          resultsDir,
          attempts: 3,
          log: (line) => process.stderr.write(`real-matrix: ${line}\n`),
        })
        if (!row.pass) failures++
        expect(row.error ?? row.reason ?? 'pass', `run folder: ${row.runDir}`).toBe('pass')
        expect(row.pass).toBe(true)
      }, 180_000)
    }
  })
}
