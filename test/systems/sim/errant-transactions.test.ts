import { describe, expect, it } from 'vitest'
import { findScenario } from '../../../harness/scenarios/catalogue.js'
import { scenarioConfig } from '../../../harness/scenarios/run-scenario.js'
import { runTest } from '../../../harness/run/run-test.js'
import { clusterSpecFor } from '../../../harness/run/cluster-spec-for.js'
import type { Cluster } from '../../../core/cluster/cluster.js'
import { engineSpecFor } from '../../../systems/sim/engine-spec.js'
import { SimulatedCluster } from '../../../systems/sim/simulated-cluster.js'

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

  it('has no clone to re-provision a node with (the config refuses --rejoin clone before a run)', async () => {
    const config = scenarioConfig(findScenario('kill-primary')!, 'after_sync', 1, 'unused')
    const cluster: Cluster = new SimulatedCluster(engineSpecFor(clusterSpecFor(config, ['set'])))
    await expect(cluster.reprovision('n1', 'n2')).rejects.toThrow(/cannot re-provision a node \(no clone plugin\)/)
  })

  it('truncating on rejoin leaves none (near miss)', async () => {
    const { results } = await run('rejoin-truncate')
    expect(results.recovery.errant).toBeUndefined()
    expect(results.anomalies).toEqual([])
  })
})
