import { z } from 'zod'
import { FAILOVER_POLICY_NAMES } from '../failover/failover-policy.js'
import { FAULT_NAMES } from '../../nemesis/fault-packages.js'
import { WORKLOAD_NAMES } from '../../workloads/create-workload.js'
import type { NemesisStep } from '../../nemesis/nemesis-action.js'
import { SYSTEM_NAMES } from '../../systems/registry.js'
import { ConfigError } from '../../core/errors/config-error.js'

/** The whole configuration of one run; `test.json` stores it, so a run can be reproduced from it. */
export const testConfigSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
    db: z.enum(SYSTEM_NAMES),
    flavor: z.enum(['mariadb', 'mysql']),
    workload: z.enum(WORKLOAD_NAMES),
    waitPoint: z.enum(['after_sync', 'after_commit']),
    /** Semi-sync enabled on the primary; false is plain asynchronous replication. */
    semiSync: z.boolean(),
    semiSyncTimeoutMs: z.number().int().min(0).max(4_294_967_295),
    waitNoSlave: z.boolean(),
    waitForSlaveCount: z.number().int().min(1).max(65535),
    replicas: z.number().int().min(1).max(16),
    semiSyncReplicas: z.number().int().min(0).max(16),
    syncRelayLog: z.number().int().min(0).max(4_294_967_295),
    failoverPolicy: z.enum(FAILOVER_POLICY_NAMES),
    rejoin: z.enum(['truncate', 'as-is']),
    nemesis: z.array(z.enum(FAULT_NAMES)).min(1),
    nemesisIntervalS: z.number().positive().max(86_400),
    latencyMs: z.number().min(0).max(600_000),
    latencyJitterMs: z.number().min(0).max(600_000),
    concurrency: z.number().int().min(1).max(1000),
    /** Operations per second over all clients; 0 = as fast as they can. */
    rate: z.number().min(0).max(1_000_000),
    timeLimitS: z.number().positive().max(86_400),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    opTimeoutMs: z.number().int().positive().max(3_600_000),
    /** Fraction of client operations that are reads. */
    readFraction: z.number().min(0).max(1),
    /** Register workload: operations a key sees before it rotates out (bounds the linearizability search). */
    opsPerKey: z.number().int().min(1).max(1_000_000),
    recoveryTimeoutS: z.number().positive().max(3600),
    resultsDir: z.string().min(1),
    /** An explicit fault schedule (scenarios); when present it replaces the cyclic `nemesis` schedule. */
    schedule: z.array(z.custom<NemesisStep>((v) => typeof v === 'object' && v !== null && 'atNs' in v)).optional(),
    /** Per-replica SQL-thread apply time, in microseconds. */
    applyTimeUs: z.number().min(0).max(60_000_000),
    /** `--db mariadb`: the mariadbd binary (default: found on PATH). */
    mariadbd: z.string().min(1).optional(),
    /** `--db mariadb`: keep each node's data directory in the run folder. */
    keepData: z.boolean(),
    /**
     * `--db mariadb`: how links are cut. `proxy`: every replication and client link goes through a Toxiproxy (partitions,
     * latency, resets); `io-thread`: no proxies, a cut replication link is `STOP SLAVE IO_THREAD`.
     */
    network: z.enum(['proxy', 'io-thread']),
    /** An external Toxiproxy's API (e.g. http://127.0.0.1:8474); without it the embedded one starts for the run. */
    toxiproxyUrl: z.string().url().optional(),
  })
  .strict()

export type TestConfig = z.infer<typeof testConfigSchema>

/** Faults that need a network nemesis (client links cut, latency); real clusters cut replication links another way. */
export const NETWORK_ONLY_FAULTS: readonly string[] = ['isolate-primary', 'partition-halves', 'latency']

/** Which CLI flag sets each field, so errors name what the user typed. */
export const FLAG_OF: Record<keyof TestConfig, string> = {
  name: '--name',
  db: '--db',
  flavor: '--flavor',
  workload: '--workload',
  waitPoint: '--wait-point',
  semiSync: '--semi-sync',
  semiSyncTimeoutMs: '--semi-sync-timeout',
  waitNoSlave: '--wait-no-slave',
  waitForSlaveCount: '--wait-for-slave-count',
  replicas: '--replicas',
  semiSyncReplicas: '--semi-sync-replicas',
  syncRelayLog: '--sync-relay-log',
  failoverPolicy: '--failover-policy',
  rejoin: '--rejoin',
  nemesis: '--nemesis',
  nemesisIntervalS: '--nemesis-interval',
  latencyMs: '--latency',
  latencyJitterMs: '--latency-jitter',
  concurrency: '--concurrency',
  rate: '--rate',
  timeLimitS: '--time-limit',
  seed: '--seed',
  opTimeoutMs: '--op-timeout',
  readFraction: '--read-fraction',
  opsPerKey: '--ops-per-key',
  recoveryTimeoutS: '--recovery-timeout',
  resultsDir: '--results-dir',
  schedule: 'schedule',
  applyTimeUs: '--apply-time',
  mariadbd: '--mariadbd',
  keepData: '--keep-data',
  network: '--network',
  toxiproxyUrl: '--toxiproxy-url',
}

export const DEFAULT_CONFIG: TestConfig = {
  name: 'semisync',
  db: 'sim',
  flavor: 'mariadb',
  workload: 'set',
  waitPoint: 'after_sync',
  semiSync: true,
  semiSyncTimeoutMs: 10_000,
  waitNoSlave: true,
  waitForSlaveCount: 1,
  replicas: 2,
  semiSyncReplicas: 2,
  syncRelayLog: 1,
  failoverPolicy: 'most-advanced',
  rejoin: 'truncate',
  nemesis: ['kill-primary'],
  nemesisIntervalS: 5,
  latencyMs: 200,
  latencyJitterMs: 50,
  concurrency: 10,
  rate: 100,
  timeLimitS: 30,
  seed: 1,
  opTimeoutMs: 5000,
  readFraction: 0.2,
  opsPerKey: 200,
  recoveryTimeoutS: 60,
  resultsDir: 'results',
  applyTimeUs: 200,
  keepData: false,
  network: 'proxy',
}

/**
 * Validates a whole config, field by field and then across fields. Throws {@link ConfigError} naming the flag.
 */
export function validateConfig(input: unknown): TestConfig {
  const parsed = testConfigSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = String(issue?.path[0] ?? 'config')
    const flag = FLAG_OF[field as keyof TestConfig] ?? field
    throw new ConfigError(flag, issue?.message ?? 'invalid value')
  }
  const config = parsed.data
  if (config.semiSyncReplicas > config.replicas) {
    throw new ConfigError('--semi-sync-replicas', `${config.semiSyncReplicas} is more than --replicas ${config.replicas}`)
  }
  if (config.waitForSlaveCount > 1 && config.flavor !== 'mysql') {
    throw new ConfigError('--wait-for-slave-count', 'MariaDB has no rpl_semi_sync_master_wait_for_slave_count; use --flavor mysql')
  }
  if (config.rejoin === 'truncate' && config.flavor === 'mysql') {
    throw new ConfigError('--rejoin', "'truncate' needs MariaDB's --init-rpl-role=SLAVE; MySQL always commits on recovery (use as-is)")
  }
  if (config.db === 'mariadb' && config.flavor !== 'mariadb') {
    throw new ConfigError('--flavor', '--db mariadb runs MariaDB servers; --flavor mysql applies to --db sim')
  }
  if (config.db === 'mariadb' && config.network === 'io-thread') {
    const needsNetwork = config.nemesis.filter((f) => NETWORK_ONLY_FAULTS.includes(f))
    if (needsNetwork.length > 0) {
      throw new ConfigError('--nemesis', `${needsNetwork.join(', ')} need network faults: use --network proxy, not io-thread`)
    }
  }
  if (config.nemesis.includes('none') && config.nemesis.length > 1) {
    throw new ConfigError('--nemesis', "'none' cannot be combined with other faults")
  }
  return config
}
