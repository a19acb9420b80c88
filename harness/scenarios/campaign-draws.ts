import { SeededRandom } from '../../core/random/seeded-random.js'
import type { TestConfig } from '../config/test-config.js'
import type { FaultName } from '../../nemesis/fault-packages.js'
import { CATALOGUE } from './catalogue.js'
import { runsOn, SCENARIO_BASE } from './run-scenario.js'
import { modesOn, type Scenario, type ScenarioMode } from './scenario.js'
import type { StoredTestCase } from './test-case-file.js'
import { drawTestCase, testCaseOverrides, type TestCaseLimits } from './test-case.js'

/** The safe random scenario a campaign varies: the catalogue's own, so its verdict on each system is the catalogue's. */
const SAFE_RANDOM_BASE = 'random-overlap'

/** What one draw of a campaign runs: a scenario (the catalogue's, or a random safe one), a mode and a seed. */
export interface CampaignDraw {
  draw: number
  kind: 'catalogue' | 'random-safe'
  scenario: Scenario
  mode: ScenarioMode
  seed: number
  /** A random-safe draw's test case and its space (kept beside its run, so `shrink` shrinks it with fast-check). */
  testCase?: StoredTestCase
}

/** How large a campaign's random-safe test may be: runs of up to 30 s, and on the engine up to 50 clients at 2000 ops/s. */
const CAMPAIGN_LIMITS: TestCaseLimits = { maxTimeLimitS: 30, maxConcurrency: 50, maxRate: 2000 }

/**
 * Draw `draw` of the campaign seeded `campaignSeed` on `db`: the same for the same three, whichever shard or session
 * runs it (its own random stream). Half the draws are catalogue rows with a fresh seed (a safe configuration must come
 * out clean, a known hazard must be caught); half are tests of the safe random scenario drawn as `explore` draws them
 * (`drawTestCase`): which faults, when and how long, the run's length, and on the engine the load, the replicas and
 * their apply time.
 */
export function campaignDraw(campaignSeed: number, draw: number, db: TestConfig['db']): CampaignDraw {
  const random = new SeededRandom(campaignSeed, `campaign-draw-${draw}`)
  const seed = random.int(1, 1_000_000_000)
  if (random.chance(0.5)) {
    const scenario = random.pick(CATALOGUE.filter((s) => runsOn(s, db) && drawableModes(s, db).length > 0))
    const mode = random.pick(drawableModes(scenario, db))
    return { draw, kind: 'catalogue', scenario, mode, seed }
  }
  const { scenario, testCase } = randomSafeScenario(random.int(0, 2 ** 31 - 1), db)
  return { draw, kind: 'random-safe', scenario, mode: 'after_sync', seed: testCase.testCase.settings.seed, testCase }
}

/** The modes a campaign may draw with a fresh seed: all, or only the safe ones of a seed-dependent hazard. */
function drawableModes(scenario: Scenario, db: TestConfig['db']): ScenarioMode[] {
  const modes = Object.entries(modesOn(scenario, db))
    .filter(([, expectation]) => scenario.seedDependent === undefined || expectation.expected.length === 0)
    .map(([mode]) => mode as ScenarioMode)
  return modes.sort()
}

function randomSafeScenario(testSeed: number, db: TestConfig['db']): { scenario: Scenario; testCase: StoredTestCase } {
  const base = CATALOGUE.find((s) => s.name === SAFE_RANDOM_BASE)
  if (!base) throw new Error(`the catalogue has no ${SAFE_RANDOM_BASE} scenario`)
  // The faults this system takes under the base scenario (MariaDB leaves one out: its differsOn says why).
  const faults = (base.differsOn?.[db]?.config?.nemesis ?? base.config.nemesis ?? []) as FaultName[]
  const space = { faults, limits: CAMPAIGN_LIMITS, unsafe: false, engineLevers: db === 'sim' }
  const testCase = drawTestCase(space, testSeed)
  const { schedule, ...config } = testCaseOverrides(testCase, { ...SCENARIO_BASE, ...base.config })
  const scenario: Scenario = {
    ...base,
    name: 'random-safe',
    description: `${base.description} (a test drawn by the campaign: its faults as explicit windows)`,
    config: { ...base.config, ...config },
    ...(schedule ? { schedule } : {}),
    ...(base.differsOn
      ? {
          differsOn: Object.fromEntries(
            Object.entries(base.differsOn).map(([system, d]) => [
              system,
              { ...d, ...(d.config ? { config: { ...d.config, nemesis: config.nemesis } } : {}) },
            ]),
          ),
        }
      : {}),
  }
  return { scenario, testCase: { space, testCase } }
}
