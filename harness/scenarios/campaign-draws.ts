import { SeededRandom } from '../../core/random/seeded-random.js'
import type { TestConfig } from '../config/test-config.js'
import { CATALOGUE } from './catalogue.js'
import { runsOn } from './run-scenario.js'
import { modesOn, type Scenario, type ScenarioMode } from './scenario.js'

/** The safe random scenario a campaign varies: the catalogue's own, so its verdict on each system is the catalogue's. */
const SAFE_RANDOM_BASE = 'random-overlap'

/** What one draw of a campaign runs: a scenario (the catalogue's, or a random safe one), a mode and a seed. */
export interface CampaignDraw {
  draw: number
  kind: 'catalogue' | 'random-safe'
  scenario: Scenario
  mode: ScenarioMode
  seed: number
}

/**
 * Draw `draw` of the campaign seeded `campaignSeed` on `db`: the same for the same three, whichever shard or session
 * runs it (its own random stream). Half the draws are catalogue rows with a fresh seed (a safe configuration must come
 * out clean, a known hazard must be caught); half vary the safe random scenario: which faults, how often, how long,
 * and on the engine the load and the replicas' apply time.
 */
export function campaignDraw(campaignSeed: number, draw: number, db: TestConfig['db']): CampaignDraw {
  const random = new SeededRandom(campaignSeed, `campaign-draw-${draw}`)
  const seed = random.int(1, 1_000_000_000)
  if (random.chance(0.5)) {
    const scenario = random.pick(CATALOGUE.filter((s) => runsOn(s, db) && drawableModes(s, db).length > 0))
    const mode = random.pick(drawableModes(scenario, db))
    return { draw, kind: 'catalogue', scenario, mode, seed }
  }
  return { draw, kind: 'random-safe', scenario: randomSafeScenario(random, db), mode: 'after_sync', seed }
}

/** The modes a campaign may draw with a fresh seed: all, or only the safe ones of a seed-dependent hazard. */
function drawableModes(scenario: Scenario, db: TestConfig['db']): ScenarioMode[] {
  const modes = Object.entries(modesOn(scenario, db))
    .filter(([, expectation]) => scenario.seedDependent === undefined || expectation.expected.length === 0)
    .map(([mode]) => mode as ScenarioMode)
  return modes.sort()
}

function randomSafeScenario(random: SeededRandom, db: TestConfig['db']): Scenario {
  const base = CATALOGUE.find((s) => s.name === SAFE_RANDOM_BASE)
  if (!base) throw new Error(`the catalogue has no ${SAFE_RANDOM_BASE} scenario`)
  // The faults this system takes under the base scenario (MariaDB leaves one out: its differsOn says why).
  const difference = base.differsOn?.[db]
  const allowed = difference?.config?.nemesis ?? base.config.nemesis ?? []
  let faults = allowed.filter(() => random.chance(0.5))
  if (faults.length === 0) faults = [random.pick(allowed)]
  const config: Partial<TestConfig> = {
    ...base.config,
    nemesis: faults,
    nemesisIntervalS: random.pick([1, 2, 3, 5]),
    timeLimitS: random.pick([10, 20, 30]),
    // Load and apply time: the engine's levers (real servers keep the catalogue's load and apply at their own pace).
    ...(db === 'sim'
      ? {
          concurrency: random.pick([5, 10, 20, 50]),
          rate: random.pick([50, 100, 500, 2000]),
          applyTimeUs: random.pick([200, 2000, 20_000]),
        }
      : {}),
  }
  return {
    ...base,
    name: 'random-safe',
    description: `${base.description} (faults, interval and time limit drawn by the campaign)`,
    config,
    ...(base.differsOn
      ? {
          differsOn: Object.fromEntries(
            Object.entries(base.differsOn).map(([system, d]) => [
              system,
              { ...d, ...(d.config ? { config: { ...d.config, nemesis: faults } } : {}) },
            ]),
          ),
        }
      : {}),
  }
}
