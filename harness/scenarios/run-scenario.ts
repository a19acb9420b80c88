import type { AnomalyKind } from '../../checkers/checker.js'
import { DEFAULT_CONFIG, type TestConfig } from '../config/test-config.js'
import { validateConfig } from '../config/validate-config.js'
import { overrunText, runTest, type RunOutcome } from '../run/run-test.js'
import type { MatrixRow } from '../../results/report/matrix-row.js'
import { modesOn, type Scenario, type ScenarioMode } from './scenario.js'

/** What every catalogue run shares unless the scenario says otherwise. */
export const SCENARIO_BASE: Partial<TestConfig> = {
  timeLimitS: 10,
  rate: 100,
  concurrency: 10,
  replicas: 2,
  semiSyncReplicas: 2,
  syncRelayLog: 1,
  readFraction: 0.2,
  opTimeoutMs: 5000,
  nemesis: ['none'],
}

/** The config a scenario runs with under one mode and seed. */
export function scenarioConfig(
  scenario: Scenario,
  mode: ScenarioMode,
  seed: number,
  resultsDir: string,
  db: TestConfig['db'] = 'sim',
): TestConfig {
  const config = { ...DEFAULT_CONFIG, ...SCENARIO_BASE, ...scenario.config }
  return validateConfig({
    ...config,
    ...(db === 'mysql' ? mysqlEquivalent(config) : {}),
    ...scenario.differsOn?.[db]?.config,
    db,
    name: `${scenario.name}-${mode}${db === 'sim' ? '' : `-${db}`}`,
    waitPoint: mode === 'async' ? 'after_sync' : mode,
    semiSync: mode !== 'async',
    seed,
    schedule: scenario.schedule,
    resultsDir,
  })
}

/**
 * A scenario on real MySQL servers: MySQL's personality, and where the scenario rejoins the old primary by truncation
 * (which MySQL cannot do: its recovery commits whatever the binlog holds), MySQL's own safe rejoin instead, a
 * re-provisioning with the clone plugin.
 */
function mysqlEquivalent(config: Partial<TestConfig>): Partial<TestConfig> {
  return { flavor: 'mysql', ...(config.rejoin === 'truncate' ? { rejoin: 'clone' } : {}) }
}

/** Whether a scenario runs on a backend. */
export function runsOn(scenario: Scenario, db: TestConfig['db']): boolean {
  return scenario.backends === undefined || scenario.backends.includes(db)
}

export interface RowOptions {
  resultsDir: string
  inMemory?: boolean
  db?: TestConfig['db']
  /** Server binaries or the container image the user named (`--mariadbd`, `--mysqld`, `--image`). */
  programs?: Pick<Partial<TestConfig>, 'mariadbd' | 'mysqld' | 'image'>
  log?: (line: string) => void
  /** Ctrl-C, SIGTERM or a crash during a row flushes its history and stops its servers (the CLI's matrix does). */
  guardInterrupts?: boolean
  /**
   * Runs a row may take. Another attempt is made only when the scenario's precondition demonstrably did not happen
   * (timing on real servers); a verdict is never retried away. Default 1.
   */
  attempts?: number
  /** Real servers: each run's wall-clock limit (`--wall-limit`); absent for the default. */
  wallLimitS?: number
  /** How the row's run is going, every `progressIntervalMs` (runTest's `progress`). */
  progress?: (line: string) => void
  progressIntervalMs?: number
}

/**
 * Runs one (scenario, mode, seed) and judges it: every expected kind found, nothing outside expected ∪ tolerated. A
 * run that fails to run becomes an error row with its reason; so does a row whose precondition never happened.
 */
export async function runScenarioRow(
  scenario: Scenario,
  mode: ScenarioMode,
  seed: number,
  options: RowOptions,
): Promise<MatrixRow> {
  const attempts = Math.max(1, options.attempts ?? 1)
  const retried: string[] = []
  for (let attempt = 1; ; attempt++) {
    const row = await runRowOnce(scenario, mode, seed, options)
    const unmet = row.error === undefined ? row.unmetPrecondition : undefined
    if (unmet === undefined || attempt >= attempts) {
      const { unmetPrecondition: _, ...judged } = row
      const final: MatrixRow =
        unmet === undefined
          ? judged
          : {
              ...judged,
              pass: false,
              error: `precondition never happened in ${attempt} attempt(s): ${unmet}`,
              inconclusive: true,
            }
      return { ...final, attempts: attempt, ...(retried.length > 0 ? { retried } : {}) }
    }
    const line = `attempt ${attempt}: ${scenario.precondition?.description ?? 'precondition'} did not happen (${unmet}); run again`
    retried.push(line)
    options.log?.(`${scenario.name} [${mode}] seed ${seed}: ${line}`)
  }
}

type OneRun = MatrixRow & { unmetPrecondition?: string }

async function runRowOnce(scenario: Scenario, mode: ScenarioMode, seed: number, options: RowOptions): Promise<OneRun> {
  const db = options.db ?? 'sim'
  const expectation = modesOn(scenario, db)[mode]
  if (!expectation) throw new Error(`scenario ${scenario.name} does not run under ${mode} on ${db}`)
  const base = { scenario: scenario.name, db, waitPoint: mode, seed, ...expectation }
  let outcome: RunOutcome
  try {
    const config = {
      ...scenarioConfig(scenario, mode, seed, options.resultsDir, db),
      ...options.programs,
      ...(options.wallLimitS === undefined ? {} : { wallLimitS: options.wallLimitS }),
    }
    outcome = await runTest(config, {
      inMemory: options.inMemory ?? false,
      guardInterrupts: options.guardInterrupts ?? false,
      ...(options.log ? { log: options.log } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
      ...(options.progressIntervalMs ? { progressIntervalMs: options.progressIntervalMs } : {}),
    })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { ...base, found: [], pass: false, valid: 'unknown', runDir: null, error: `the run failed: ${reason}` }
  }
  const found = [...new Set(outcome.results.anomalies.map((a) => a.kind))].sort() as AnomalyKind[]
  const missing = expectation.expected.filter((k) => !found.includes(k))
  const surprising = found.filter((k) => !expectation.expected.includes(k) && !expectation.tolerated.includes(k))
  const reasons: string[] = []
  if (missing.length > 0) reasons.push(`expected but not found: ${missing.join(', ')}`)
  if (surprising.length > 0) reasons.push(`found but not expected: ${surprising.join(', ')}`)
  const { overran } = outcome.results
  if (overran) {
    reasons.push(
      `the run overran its wall-clock limit of ${overran.wallLimitS} s and was stopped (${overrunText(overran)})`,
    )
  } else if (outcome.results.valid === 'unknown') {
    reasons.push(`the checkers could not decide (${outcome.results.reason ?? 'verdict unknown'})`)
  }
  const evidence = { history: outcome.history, statusSamples: outcome.statusSamples }
  const unmet = scenario.precondition?.unmet(evidence) ?? null
  return {
    ...base,
    found,
    pass: reasons.length === 0,
    valid: outcome.results.valid,
    runDir: outcome.runDir,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    ...(unmet ? { unmetPrecondition: unmet } : {}),
  }
}
