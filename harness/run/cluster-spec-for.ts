import type { ClusterSpec } from '../../core/cluster/system-under-test.js'
import type { TestConfig } from '../config/test-config.js'

/** The cluster a test config asks its system for. */
export function clusterSpecFor(config: TestConfig, tables: readonly string[]): ClusterSpec {
  return {
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
    applyTimeUs: config.applyTimeUs,
    tables,
    network: config.network,
    keepData: config.keepData,
    serverBinary: config.mariadbd ?? null,
  }
}
