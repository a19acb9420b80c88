import type { TestConfig } from '../config/test-config.js'
import { inShard, type Shard } from '../config/shard.js'
import { modesOn, type Scenario, type ScenarioMode } from './scenario.js'

/** One row a matrix will run: a scenario under one of its modes with one seed. */
export interface PlannedRow {
  scenario: Scenario
  mode: ScenarioMode
  seed: number
}

/**
 * Every row of a matrix in its fixed order (scenario, then mode, then seed), and of those the shard's: every n-th row
 * from the shard's index, so that shards 1/n … n/n together run exactly the unsharded matrix, each row once.
 */
export function matrixPlan(
  scenarios: readonly Scenario[],
  db: TestConfig['db'],
  seeds: { first: number; count: number },
  shard: Shard | null = null,
): PlannedRow[] {
  const rows: PlannedRow[] = []
  for (const scenario of scenarios) {
    for (const mode of Object.keys(modesOn(scenario, db)) as ScenarioMode[]) {
      for (let seed = seeds.first; seed < seeds.first + seeds.count; seed++) rows.push({ scenario, mode, seed })
    }
  }
  return rows.filter((_, position) => inShard(position, shard))
}
