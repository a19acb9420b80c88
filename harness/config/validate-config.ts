import { z } from 'zod'
import { ConfigError } from '../../core/errors/config-error.js'
import { ENGINE_ONLY_FAULTS } from '../../nemesis/fault-packages.js'
import { RUN_OPTIONS } from './run-options.js'
import { FLAG_OF, NETWORK_ONLY_FAULTS, type TestConfig, type TestConfigSchemas } from './test-config.js'

let schema: z.ZodType<TestConfig> | null = null

/** The config's schema, every option's own, made on first use. */
export function testConfigSchema(): z.ZodType<TestConfig> {
  schema ??= z
    .object(Object.fromEntries(Object.entries(RUN_OPTIONS).map(([key, o]) => [key, o.schema(z)])) as TestConfigSchemas)
    .strict() as unknown as z.ZodType<TestConfig>
  return schema
}

/**
 * Validates a whole config, field by field and then across fields. Throws {@link ConfigError} naming the flag.
 */
export function validateConfig(input: unknown): TestConfig {
  const parsed = testConfigSchema().safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = String(issue?.path[0] ?? 'config')
    const flag = FLAG_OF[field as keyof TestConfig] ?? field
    throw new ConfigError(flag, issue?.message ?? 'invalid value')
  }
  const config = parsed.data
  if (config.semiSyncReplicas > config.replicas) {
    throw new ConfigError(
      '--semi-sync-replicas',
      `${config.semiSyncReplicas} is more than --replicas ${config.replicas}`,
    )
  }
  if (config.waitForSlaveCount > 1 && config.flavor !== 'mysql') {
    throw new ConfigError(
      '--wait-for-slave-count',
      'MariaDB has no rpl_semi_sync_master_wait_for_slave_count; use --flavor mysql or --db mysql',
    )
  }
  if (config.rejoin === 'truncate' && config.flavor === 'mysql') {
    throw new ConfigError(
      '--rejoin',
      "'truncate' needs MariaDB's --init-rpl-role=SLAVE; MySQL always commits on recovery (use as-is or clone)",
    )
  }
  if (config.rejoin === 'clone' && config.db !== 'mysql') {
    throw new ConfigError(
      '--rejoin',
      "'clone' re-provisions with MySQL's clone plugin, which only --db mysql has (use truncate or as-is)",
    )
  }
  if (config.db === 'mariadb' && config.flavor !== 'mariadb') {
    throw new ConfigError('--flavor', '--db mariadb runs MariaDB servers; --flavor mysql applies to --db sim')
  }
  if (config.db === 'mysql' && config.flavor !== 'mysql') {
    throw new ConfigError('--flavor', '--db mysql runs MySQL servers; --flavor mariadb applies to --db sim')
  }
  if (config.image !== undefined && config.db === 'sim') {
    throw new ConfigError('--image', 'containers run real servers: use it with --db mariadb or --db mysql')
  }
  if (config.image !== undefined && config.keepData) {
    throw new ConfigError('--keep-data', "a node's data lives in its container, which is always removed at the end")
  }
  if (config.image !== undefined && (config.mariadbd !== undefined || config.mysqld !== undefined)) {
    throw new ConfigError(
      '--image',
      `the servers come from the image; --${config.db === 'mysql' ? 'mysqld' : 'mariadbd'} names a local binary`,
    )
  }
  if (config.db !== 'sim' && config.network === 'io-thread') {
    const needsNetwork = config.nemesis.filter((f) => NETWORK_ONLY_FAULTS.includes(f))
    if (needsNetwork.length > 0) {
      throw new ConfigError(
        '--nemesis',
        `${needsNetwork.join(', ')} need network faults: use --network proxy, not io-thread`,
      )
    }
  }
  const engineOnly = config.nemesis.filter((f) => ENGINE_ONLY_FAULTS.includes(f))
  if (config.db !== 'sim' && engineOnly.length > 0) {
    throw new ConfigError('--nemesis', `${engineOnly.join(', ')} needs the built-in engine (--db sim)`)
  }
  if (config.db === 'sim' && config.isolation === 'repeatable-read') {
    throw new ConfigError(
      '--isolation',
      'the engine models read-committed and serializable only (it has no multi-version snapshots); ' +
        'repeatable-read needs --db mariadb or --db mysql',
    )
  }
  if (config.nemesis.includes('none') && config.nemesis.length > 1) {
    throw new ConfigError('--nemesis', "'none' cannot be combined with other faults")
  }
  return config
}
