import type { OpenedCluster, SystemUnderTest } from '../../core/cluster/system-under-test.js'
import { loadSystem } from '../../systems/registry.js'
import type { TestConfig } from '../config/test-config.js'
import { clusterSpecFor } from './cluster-spec-for.js'
import { ToxiproxyOnDemand } from './toxiproxy-on-demand.js'

/** A cluster opened for a run, with everything the run started for it. */
export interface OpenedSystem extends OpenedCluster {
  /** Tears the cluster down, then stops the embedded Toxiproxy if one was started. */
  close(): Promise<void>
}

export interface OpenSystemOptions {
  /** The run folder (null: in memory). */
  runDir: string | null
  /** Workload tables every node creates. */
  tables: readonly string[]
  log?: (line: string) => void
  /** The system, when the caller already loaded it (to run its preflight first). */
  system?: SystemUnderTest
}

/** Opens the cluster the config names on its system, with the Toxiproxy it asks for. */
export async function openSystem(config: TestConfig, options: OpenSystemOptions): Promise<OpenedSystem> {
  const system = options.system ?? (await loadSystem(config.db))
  const toxiproxy = new ToxiproxyOnDemand(config.toxiproxyUrl, config.seed)
  try {
    const opened = await system.open(clusterSpecFor(config, options.tables), {
      runDir: options.runDir,
      storeDir: config.resultsDir,
      toxiproxy: () => toxiproxy.endpoint(),
      log: options.log ?? (() => {}),
    })
    return {
      ...opened,
      close: async () => {
        try {
          await opened.cluster.teardown()
        } finally {
          await toxiproxy.close()
        }
      },
    }
  } catch (error) {
    await toxiproxy.close()
    throw error
  }
}
