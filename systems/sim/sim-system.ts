import type { ClusterSpec, OpenedCluster, SystemUnderTest } from '../../core/cluster/system-under-test.js'
import { engineSpecFor } from './engine-spec.js'
import { driveSimulation } from './sim-driver.js'
import { SimulatedCluster } from './simulated-cluster.js'

/** The built-in semi-sync engine under the deterministic simulator: needs nothing from the machine. */
export const simSystem: SystemUnderTest = {
  name: 'sim',
  preflight: async () => 'built-in engine',
  async open(spec: ClusterSpec): Promise<OpenedCluster> {
    const cluster = new SimulatedCluster(engineSpecFor(spec))
    return {
      cluster,
      drive: (main) => driveSimulation(cluster.sim, main),
      killNow: () => {},
      stream: (name) => cluster.sim.stream(name),
      eventsProcessed: () => cluster.sim.eventsProcessed,
      logs: () => Object.fromEntries(cluster.nodes().map((node) => [node, cluster.logs(node)])),
    }
  },
}
