import { DEFAULT_ENGINE_TIMINGS, type EngineClusterSpec } from './engine/engine-cluster.js'
import type { TestConfig } from '../../harness/config/test-config.js'

/** The simulated cluster a test config describes. */
export function engineSpecFor(config: TestConfig): EngineClusterSpec {
  return {
    ...DEFAULT_ENGINE_TIMINGS,
    seed: config.seed,
    flavor: config.flavor,
    replicas: config.replicas,
    semiSyncReplicas: config.semiSyncReplicas,
    master: {
      enabled: config.semiSync,
      waitPoint: config.waitPoint,
      timeoutMs: config.semiSyncTimeoutMs,
      waitNoSlave: config.waitNoSlave,
      waitForSlaveCount: config.waitForSlaveCount,
    },
    syncRelayLog: config.syncRelayLog,
    applyTimeNs: Math.round(config.applyTimeUs * 1000),
  }
}
