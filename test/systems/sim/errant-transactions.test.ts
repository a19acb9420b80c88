import { describe, expect, it } from 'vitest'
import { findScenario } from '../../../harness/scenarios/catalogue.js'
import { scenarioConfig } from '../../../harness/scenarios/run-scenario.js'
import { runTest } from '../../../harness/run/run-test.js'

async function run(name: string) {
  const scenario = findScenario(name)
  if (!scenario) throw new Error(`no scenario ${name}`)
  return runTest(scenarioConfig(scenario, 'after_sync', 1, 'unused'), { inMemory: true })
}

describe('errant transactions on the engine', () => {
  it('an old primary rejoined as it is holds GTIDs the new primary lacks: recorded at recovery, cited as evidence', async () => {
    const { results } = await run('rejoin-as-is')
    const errant = results.recovery.errant ?? {}
    expect(Object.keys(errant)).toEqual(['n1'])
    expect(errant['n1']).toMatch(/^0-1-\d+(,0-1-\d+)*$/)
    const divergence = results.anomalies.find((a) => a.kind === 'divergence' && a.evidence['node'] === 'n1')
    expect(divergence?.evidence['errantTransactions']).toBe(errant['n1'])
  })

  it('truncating on rejoin leaves none (near miss)', async () => {
    const { results } = await run('rejoin-truncate')
    expect(results.recovery.errant).toBeUndefined()
    expect(results.anomalies).toEqual([])
  })
})
