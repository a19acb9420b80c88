import { describe, it, expect } from 'vitest'
import { tempDir } from '../cli/cli-kit.js'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CATALOGUE, findScenario } from '../../../harness/scenarios/catalogue.js'
import { runScenarioRow, runsOn, scenarioConfig } from '../../../harness/scenarios/run-scenario.js'
import { modesOn, type Scenario, type ScenarioMode } from '../../../harness/scenarios/scenario.js'
import { SYSTEM_NAMES } from '../../../systems/registry.js'
import { OLD_PRIMARY_AHEAD_AT_REJOIN } from '../../../harness/scenarios/preconditions.js'
import { runTest } from '../../../harness/run/run-test.js'

const MODES: readonly ScenarioMode[] = ['after_sync', 'after_commit', 'async']
const S = 1_000_000_000

const modesOf = (scenario: Scenario, db: (typeof SYSTEM_NAMES)[number] = 'sim'): ScenarioMode[] =>
  Object.keys(modesOn(scenario, db)) as ScenarioMode[]
/** The systems a scenario runs on. */
const systemsOf = (scenario: Scenario): Array<(typeof SYSTEM_NAMES)[number]> =>
  SYSTEM_NAMES.filter((db) => runsOn(scenario, db))

function scenario(name: string): Scenario {
  const found = findScenario(name)
  if (!found) throw new Error(`no scenario ${name}`)
  return found
}

/** Node names a step targets by name. */
function namedNodes(s: Scenario): string[] {
  const names: string[] = []
  for (const { action } of s.schedule ?? []) {
    const target = 'target' in action ? action.target : undefined
    if (typeof target === 'object' && target !== null) names.push(target.node)
  }
  return names
}

describe('the scenario catalogue', () => {
  it('has unique names that findScenario finds', () => {
    const names = CATALOGUE.map((s) => s.name)
    expect(new Set(names).size).toBe(names.length)
    for (const s of CATALOGUE) expect(findScenario(s.name)).toBe(s)
    expect(findScenario('no-such-scenario')).toBeUndefined()
  })

  // Commits waiting at the kill are not enough: on real servers their events can reach the replica that is promoted
  // (only the acks lost in the cut), and then the old primary rejoins holding nothing else (a CI run saw it on MariaDB).
  it('judges a row that expects an as-is rejoin to diverge only when the old primary came back ahead', () => {
    const rows = CATALOGUE.filter(
      (s) =>
        s.config.rejoin === 'as-is' &&
        systemsOf(s).some((db) =>
          Object.values(modesOn(s, db)).some((mode) => mode?.expected.includes('divergence') ?? false),
        ),
    )
    expect(rows.map((s) => s.name)).toEqual(['rejoin-as-is', 'rejoin-as-is-register', 'list-append-rejoin-as-is'])
    for (const s of rows) expect(s.precondition, s.name).toBe(OLD_PRIMARY_AHEAD_AT_REJOIN)
  })

  for (const s of CATALOGUE) {
    describe(s.name, () => {
      it('runs on some system, under at least one known mode on each', () => {
        expect(systemsOf(s).length).toBeGreaterThan(0)
        for (const db of systemsOf(s)) {
          expect(modesOf(s, db).length).toBeGreaterThan(0)
          for (const mode of modesOf(s, db)) expect(MODES).toContain(mode)
        }
        // A system's own expectations are for a system the scenario runs on, and say why they differ.
        for (const [db, difference] of Object.entries(s.differsOn ?? {})) {
          expect(runsOn(s, db as (typeof SYSTEM_NAMES)[number]), db).toBe(true)
          expect(difference.why.length).toBeGreaterThan(20)
        }
      })

      it('never both expects and tolerates a kind', () => {
        for (const db of systemsOf(s)) {
          for (const mode of modesOf(s, db)) {
            const { expected, tolerated } = modesOn(s, db)[mode] ?? { expected: [], tolerated: [] }
            expect(
              expected.filter((k) => tolerated.includes(k)),
              `${db} ${mode}`,
            ).toEqual([])
            expect(new Set(expected).size).toBe(expected.length)
          }
        }
      })

      it('has a schedule sorted by time, inside the time limit, naming existing nodes', () => {
        const times = (s.schedule ?? []).map((step) => step.atNs)
        expect(times).toEqual([...times].sort((a, b) => a - b))
        for (const db of systemsOf(s)) {
          for (const mode of modesOf(s, db)) {
            // The runner drops steps at or past the time limit; a scenario's faults must all happen.
            const config = scenarioConfig(s, mode, 1, 'unused', db)
            for (const t of times) expect(t).toBeLessThan(config.timeLimitS * S)
            const nodes = Array.from({ length: config.replicas + 1 }, (_, i) => `n${i + 1}`)
            for (const node of namedNodes(s)) expect(nodes).toContain(node)
          }
        }
      })

      it('builds a valid config for every system and mode', () => {
        for (const db of systemsOf(s)) {
          for (const mode of modesOf(s, db)) {
            const config = scenarioConfig(s, mode, 3, 'some-dir', db)
            expect(config.name).toBe(`${s.name}-${mode}${db === 'sim' ? '' : `-${db}`}`)
            expect(config.seed).toBe(3)
            expect(config.db).toBe(db)
            expect(config.semiSync).toBe(mode !== 'async')
            expect(config.waitPoint).toBe(mode === 'async' ? 'after_sync' : mode)
            expect(config.schedule).toEqual(s.schedule)
            // Real servers are what they are: MySQL's personality on MySQL, MariaDB's on MariaDB.
            if (db === 'mysql') expect(config.flavor).toBe('mysql')
            if (db === 'mariadb') expect(config.flavor).toBe('mariadb')
            // MySQL cannot truncate on recovery: its safe rejoin is a clone.
            if (db === 'mysql') expect(config.rejoin).not.toBe('truncate')
          }
        }
      })
    })
  }
})

describe('runScenarioRow', () => {
  const tmp = (): string => tempDir('ssc-')

  const CHEAP: Array<[string, ScenarioMode]> = [
    ['kill-primary', 'after_sync'],
    ['timeout-fallback', 'after_commit'],
    ['rejoin-as-is', 'after_sync'],
  ]
  for (const [name, mode] of CHEAP) {
    it(`${name} [${mode}] seed 1 passes (in memory)`, async () => {
      const resultsDir = join(tmp(), 'results')
      const s = scenario(name)
      const row = await runScenarioRow(s, mode, 1, { inMemory: true, resultsDir })
      expect(row.reason).toBeUndefined()
      expect(row.pass).toBe(true)
      expect(row).toMatchObject({ scenario: name, waitPoint: mode, seed: 1, runDir: null })
      expect(row.expected).toEqual(s.modes[mode]?.expected)
      for (const kind of row.expected) expect(row.found).toContain(kind)
      // A verdict that matches the catalogue: invalid exactly when an anomaly is expected.
      expect(row.valid).toBe(row.expected.length === 0 ? row.found.length === 0 : false)
      expect(existsSync(resultsDir)).toBe(false)
    })
  }

  it('the whole catalogue passes at seed 1', async () => {
    const failed: string[] = []
    for (const s of CATALOGUE.filter((c) => runsOn(c, 'sim'))) {
      for (const mode of modesOf(s)) {
        const row = await runScenarioRow(s, mode, 1, { inMemory: true, resultsDir: tmp() })
        if (!row.pass) failed.push(`${s.name} [${mode}]: ${row.reason ?? ''}`)
      }
    }
    expect(failed).toEqual([])
  }, 30_000)

  it('rejoin-as-is-register diverges with as many rows on every node: only the values differ', async () => {
    const config = scenarioConfig(scenario('rejoin-as-is-register'), 'after_sync', 1, tmp())
    const { results } = await runTest(config, { inMemory: true })
    const divergence = results.checkers.divergence
    const counts = Object.values((divergence?.stats as { nodes: Record<string, number> }).nodes)
    expect(counts).toHaveLength(3)
    expect(new Set(counts).size).toBe(1)
    const found = results.anomalies.filter((a) => a.kind === 'divergence')
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]?.message).toMatch(/key\(s\) hold different values/)
  })

  it('fails a row whose expected anomaly is not found', async () => {
    const s = scenario('kill-primary')
    const wrong: Scenario = { ...s, modes: { after_sync: { expected: ['lost-acked-write'], tolerated: [] } } }
    const row = await runScenarioRow(wrong, 'after_sync', 1, { inMemory: true, resultsDir: tmp() })
    expect(row.pass).toBe(false)
    expect(row.reason).toMatch(/expected but not found: lost-acked-write/)
  })

  it('fails a row that finds an anomaly neither expected nor tolerated', async () => {
    const s = scenario('timeout-fallback')
    const wrong: Scenario = { ...s, modes: { after_sync: { expected: [], tolerated: [] } } }
    const row = await runScenarioRow(wrong, 'after_sync', 1, { inMemory: true, resultsDir: tmp() })
    expect(row.pass).toBe(false)
    expect(row.reason).toMatch(/found but not expected: .*lost-acked-write/)
  })

  it('refuses a mode the scenario does not run under', async () => {
    const row = runScenarioRow(scenario('rejoin-as-is'), 'after_commit', 1, { inMemory: true, resultsDir: tmp() })
    await expect(row).rejects.toThrow(/does not run under after_commit/)
  })

  it('writes a run folder when not in memory', async () => {
    const resultsDir = tmp()
    const row = await runScenarioRow(scenario('kill-primary'), 'after_sync', 2, { resultsDir })
    expect(row.runDir).not.toBeNull()
    expect(row.runDir?.startsWith(join(resultsDir, 'kill-primary-after_sync'))).toBe(true)
    expect(existsSync(join(row.runDir as string, 'history.jsonl'))).toBe(true)
  })
})
