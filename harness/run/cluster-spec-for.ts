import type { ClusterSpec } from '../../core/cluster/system-under-test.js'
import type { TestConfig } from '../config/test-config.js'

/** The server binary the user named for the config's system (`--mariadbd`, `--mysqld`); null finds it. */
export function serverBinaryOf(config: TestConfig): string | null {
  if (config.db === 'mariadb') return config.mariadbd ?? null
  if (config.db === 'mysql') return config.mysqld ?? null
  return null
}

/** What a system's preflight checks for the config: the binary it names, or the image. */
export function preflightSpecOf(config: TestConfig): Pick<ClusterSpec, 'serverBinary' | 'image'> {
  return { serverBinary: serverBinaryOf(config), image: config.image ?? null }
}

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
    serverBinary: serverBinaryOf(config),
    image: config.image ?? null,
  }
}
