import type { z } from 'zod'
import { DEFAULT_ISOLATION_LEVEL, ISOLATION_LEVELS } from '../../core/sql/statement.js'
import { FAULT_NAMES } from '../../nemesis/fault-packages.js'
import type { NemesisStep } from '../../nemesis/nemesis-action.js'
import { REJOIN_MODES } from '../../nemesis/nemesis.js'
import { SCHEDULE_KINDS } from '../../nemesis/nemesis-schedule.js'
import { SYSTEM_NAMES } from '../../systems/registry.js'
import { WORKLOAD_NAMES } from '../../workloads/workload-names.js'
import { FAILOVER_POLICY_NAMES } from '../failover/failover-policy.js'
import { parseChoice, parseInteger, parseList, parseNumber, parseOnOff } from './flag-parsers.js'

/**
 * One run option, declared once: the config schema, the defaults, the CLI's options and their help, and the error
 * messages that name a flag all come from this table (README's flag table is checked against it by a test).
 */
/** zod, handed to each option's schema when the config is validated: loading it costs ~50 ms a `--help` need not pay. */
export type Zod = typeof z

export interface RunOption<S extends z.ZodType = z.ZodType> {
  /** The flag as typed (`--replicas`), or null for a field only a config file sets. */
  flag: string | null
  /** Commander's argument placeholder (`<n>`); absent for a switch. */
  argument?: string
  help: string
  /** The field's schema, made from zod on demand (`harness/config/test-config.ts`). */
  schema: (zod: Zod) => S
  /** The default, or undefined when the field is optional (see `defaultText`). */
  defaultValue: z.output<S> | undefined
  /** How the default reads in help and README, when it is not the value itself. */
  defaultText?: string
  /** Parses the flag's text (switches have none). */
  parse?: (flag: string, raw: string) => z.output<S>
  /**
   * The value names a program the harness would execute. Such a value comes from a flag or PATH, never from a stored
   * test.json alone: people share run folders, and running one must not run a program its author chose.
   */
  program?: true
  /** What happens when a stored test.json names the program but the flag is not given (default: found on PATH). */
  withoutIt?: string
}

function option<S extends z.ZodType>(spec: RunOption<S>): RunOption<S> {
  return spec
}

const choice =
  <T extends string>(choices: readonly T[]) =>
  (flag: string, raw: string): T =>
    parseChoice(flag, raw, choices)
const text = (_flag: string, raw: string): string => raw
const ON_OFF = '<on|off>'
const bar = (choices: readonly string[]): string => `<${choices.join('|')}>`

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/
/** Names the store gives a meaning of its own: `latest` links, and dot-folders such as the live-server registry. */
const RESERVED_NAME = /^(\.|latest$)/
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/

/** Every option of a run, in the order help lists them. */
export const RUN_OPTIONS = {
  name: option({
    flag: '--name',
    argument: '<name>',
    help: 'test name: the folder under --results-dir',
    schema: (z) =>
      z
        .string()
        .regex(NAME_PATTERN, 'letters, digits, dot, dash and underscore only')
        .refine((name) => !RESERVED_NAME.test(name), 'one folder name, not "latest" and not starting with a dot'),
    defaultValue: 'semisync',
    parse: text,
  }),
  db: option({
    flag: '--db',
    argument: bar(SYSTEM_NAMES),
    help: 'system under test: sim (built-in engine), mariadb or mysql (local server processes)',
    schema: (z) => z.enum(SYSTEM_NAMES),
    defaultValue: 'sim',
    parse: choice(SYSTEM_NAMES),
  }),
  flavor: option({
    flag: '--flavor',
    argument: '<mariadb|mysql>',
    help: 'server personality the engine imitates where the servers differ (--db mysql implies mysql)',
    schema: (z) => z.enum(['mariadb', 'mysql']),
    defaultValue: 'mariadb',
    defaultText: 'mariadb (mysql for --db mysql)',
    parse: choice(['mariadb', 'mysql'] as const),
  }),
  workload: option({
    flag: '--workload',
    argument: bar(WORKLOAD_NAMES),
    help: 'set: unique adds and reads; register: read, write and cas per key, checked for linearizability',
    schema: (z) => z.enum(WORKLOAD_NAMES),
    defaultValue: 'set',
    parse: choice(WORKLOAD_NAMES),
  }),
  waitPoint: option({
    flag: '--wait-point',
    argument: '<after_sync|after_commit>',
    help: 'rpl_semi_sync_master_wait_point, always set explicitly',
    schema: (z) => z.enum(['after_sync', 'after_commit']),
    defaultValue: 'after_sync',
    parse: choice(['after_sync', 'after_commit'] as const),
  }),
  semiSync: option({
    flag: '--semi-sync',
    argument: ON_OFF,
    help: 'semi-sync on the primary; off is plain asynchronous replication',
    schema: (z) => z.boolean(),
    defaultValue: true,
    parse: parseOnOff,
  }),
  semiSyncTimeoutMs: option({
    flag: '--semi-sync-timeout',
    argument: '<ms>',
    help: 'rpl_semi_sync_master_timeout; on expiry commits return OK without an ack',
    schema: (z) => z.number().int().min(0).max(4_294_967_295),
    defaultValue: 10_000,
    parse: parseInteger,
  }),
  waitNoSlave: option({
    flag: '--wait-no-slave',
    argument: ON_OFF,
    help: 'rpl_semi_sync_master_wait_no_slave',
    schema: (z) => z.boolean(),
    defaultValue: true,
    parse: parseOnOff,
  }),
  waitForSlaveCount: option({
    flag: '--wait-for-slave-count',
    argument: '<n>',
    help: 'acks needed per commit (MySQL only)',
    schema: (z) => z.number().int().min(1).max(65535),
    defaultValue: 1,
    parse: parseInteger,
  }),
  replicas: option({
    flag: '--replicas',
    argument: '<n>',
    help: 'replicas (nodes n1 … n<n+1>, n1 the first primary)',
    schema: (z) => z.number().int().min(1).max(16),
    defaultValue: 2,
    parse: parseInteger,
  }),
  semiSyncReplicas: option({
    flag: '--semi-sync-replicas',
    argument: '<n>',
    help: 'how many replicas ack (the first ones); the rest are async',
    schema: (z) => z.number().int().min(0).max(16),
    defaultValue: 2,
    defaultText: 'all',
    parse: parseInteger,
  }),
  syncRelayLog: option({
    flag: '--sync-relay-log',
    argument: '<n>',
    help: 'replicas fsync the relay log every n events',
    schema: (z) => z.number().int().min(0).max(4_294_967_295),
    defaultValue: 1,
    parse: parseInteger,
  }),
  failoverPolicy: option({
    flag: '--failover-policy',
    argument: '<name>',
    help: `how the orchestrator picks the replica to promote: ${FAILOVER_POLICY_NAMES.join(', ')}`,
    schema: (z) => z.enum(FAILOVER_POLICY_NAMES),
    defaultValue: 'most-advanced',
    parse: choice(FAILOVER_POLICY_NAMES),
  }),
  rejoin: option({
    flag: '--rejoin',
    argument: '<truncate|as-is|clone>',
    help:
      'a failed-over old primary restarts like --init-rpl-role=SLAVE (truncate, MariaDB), normally (as-is), or is ' +
      're-provisioned from the new primary with the clone plugin (clone, --db mysql)',
    schema: (z) => z.enum(REJOIN_MODES),
    defaultValue: 'truncate',
    defaultText: 'truncate (as-is for --flavor mysql)',
    parse: choice(REJOIN_MODES),
  }),
  nemesis: option({
    flag: '--nemesis',
    argument: '<faults>',
    help: `comma list of ${FAULT_NAMES.join(', ')}`,
    schema: (z) => z.array(z.enum(FAULT_NAMES)).min(1),
    defaultValue: ['kill-primary'],
    defaultText: 'kill-primary',
    parse: (flag, raw) => parseList(flag, raw, FAULT_NAMES),
  }),
  nemesisSchedule: option({
    flag: '--nemesis-schedule',
    argument: bar(SCHEDULE_KINDS),
    help:
      'cyclic: one fault at a time (start, heal, next); random: faults of different classes (processes, network, ' +
      'latency, appliers, load) overlap, with random starts and durations drawn from the seed',
    schema: (z) => z.enum(SCHEDULE_KINDS),
    defaultValue: 'cyclic',
    parse: choice(SCHEDULE_KINDS),
  }),
  nemesisIntervalS: option({
    flag: '--nemesis-interval',
    argument: '<s>',
    help: 'seconds between a fault starting and its heal, and between faults (random: their mean scale)',
    schema: (z) => z.number().positive().max(86_400),
    defaultValue: 5,
    parse: parseNumber,
  }),
  latencyMs: option({
    flag: '--latency',
    argument: '<ms>',
    help: 'what the latency fault adds to each replication link direction',
    schema: (z) => z.number().min(0).max(600_000),
    defaultValue: 200,
    parse: parseNumber,
  }),
  latencyJitterMs: option({
    flag: '--latency-jitter',
    argument: '<ms>',
    help: 'jitter on top of --latency',
    schema: (z) => z.number().min(0).max(600_000),
    defaultValue: 50,
    parse: parseNumber,
  }),
  concurrency: option({
    flag: '--concurrency',
    argument: '<n>',
    help: 'client threads',
    schema: (z) => z.number().int().min(1).max(1000),
    defaultValue: 10,
    parse: parseInteger,
  }),
  rate: option({
    flag: '--rate',
    argument: '<ops/s>',
    help: 'operations per second over all clients; 0 = unlimited',
    schema: (z) => z.number().min(0).max(1_000_000),
    defaultValue: 100,
    parse: parseNumber,
  }),
  timeLimitS: option({
    flag: '--time-limit',
    argument: '<s>',
    help: 'seconds of workload before the final phase',
    schema: (z) => z.number().positive().max(86_400),
    defaultValue: 30,
    parse: parseNumber,
  }),
  seed: option({
    flag: '--seed',
    argument: '<n>',
    help: 'seed for every random choice; printed and stored',
    schema: (z) => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    defaultValue: 1,
    defaultText: 'a fresh one',
    parse: parseInteger,
  }),
  opTimeoutMs: option({
    flag: '--op-timeout',
    argument: '<ms>',
    help: 'a client gives up on an operation after this; it ends info',
    schema: (z) => z.number().int().positive().max(3_600_000),
    defaultValue: 5000,
    parse: parseInteger,
  }),
  readFraction: option({
    flag: '--read-fraction',
    argument: '<f>',
    help: 'fraction of client operations that are reads',
    schema: (z) => z.number().min(0).max(1),
    defaultValue: 0.2,
    parse: parseNumber,
  }),
  isolation: option({
    flag: '--isolation',
    argument: bar(ISOLATION_LEVELS),
    help:
      "list-append: the transactions' isolation level, and the level the elle checker holds the history to " +
      '(the engine models read-committed and serializable)',
    schema: (z) => z.enum(ISOLATION_LEVELS),
    defaultValue: DEFAULT_ISOLATION_LEVEL,
    parse: choice(ISOLATION_LEVELS),
  }),
  opsPerKey: option({
    flag: '--ops-per-key',
    argument: '<n>',
    help:
      'register: operations a key sees before it rotates out (bounds the linearizability search); list-append: ' +
      'appends a key takes before it rotates out (bounds its list)',
    schema: (z) => z.number().int().min(1).max(1_000_000),
    defaultValue: 200,
    parse: parseInteger,
  }),
  recoveryTimeoutS: option({
    flag: '--recovery-timeout',
    argument: '<s>',
    help: 'final phase: how long to wait for replicas to catch up once none of them applies anything more',
    schema: (z) => z.number().positive().max(3600),
    defaultValue: 60,
    parse: parseNumber,
  }),
  wallLimitS: option({
    flag: '--wall-limit',
    argument: '<s>',
    help:
      '--db mariadb|mysql: a run still going after this many wall-clock seconds is stopped (its history kept, ' +
      'its servers stopped, exit 3); 0 for none',
    schema: (z) => z.number().min(0).max(86_400).optional(),
    defaultValue: undefined,
    defaultText: '3 × time limit + recovery timeout + 900',
    parse: parseNumber,
  }),
  applyTimeUs: option({
    flag: '--apply-time',
    argument: '<µs>',
    help: 'engine: replica SQL-thread time per transaction',
    schema: (z) => z.number().min(0).max(60_000_000),
    defaultValue: 200,
    parse: parseNumber,
  }),
  resultsDir: option({
    flag: '--results-dir',
    argument: '<dir>',
    help: 'where runs are written (the store)',
    schema: (z) =>
      z
        .string()
        .min(1)
        .refine((dir) => !CONTROL_CHARACTER.test(dir), 'no control characters (a newline, a tab, …) in a path'),
    defaultValue: 'store',
    parse: text,
  }),
  schedule: option({
    flag: null,
    help: 'an explicit fault schedule (scenarios); when present it replaces the --nemesis schedule',
    schema: (z) => z.array(z.custom<NemesisStep>((v) => typeof v === 'object' && v !== null && 'atNs' in v)).optional(),
    defaultValue: undefined,
  }),
  mariadbd: option({
    flag: '--mariadbd',
    argument: '<path>',
    help: '--db mariadb: the server binary',
    program: true,
    schema: (z) => z.string().min(1).optional(),
    defaultValue: undefined,
    defaultText: 'found on PATH or in /usr/sbin',
    parse: text,
  }),
  mysqld: option({
    flag: '--mysqld',
    argument: '<path>',
    help: "--db mysql: the server binary (Oracle MySQL 8.0/8.4/9.x, or setup/install-mysql.sh's wrapper)",
    program: true,
    schema: (z) => z.string().min(1).optional(),
    defaultValue: undefined,
    defaultText: "a MySQL mysqld on PATH, else setup/install-mysql.sh's",
    parse: text,
  }),
  image: option({
    flag: '--image',
    argument: '<image>',
    help:
      '--db mariadb|mysql: run every node as a container of this image (Docker or Podman, through testcontainers) ' +
      'instead of a local process; official = mariadb:11.4 or mysql:8.4',
    program: true,
    withoutIt: 'the servers run as local processes',
    schema: (z) =>
      z
        .string()
        .min(1)
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9._\/:@-]*$/,
          'an image reference such as mysql:8.4 or localhost/semisync-chaos/mysql:9.7',
        )
        .optional(),
    defaultValue: undefined,
    defaultText: 'local processes',
    parse: text,
  }),
  keepData: option({
    flag: '--keep-data',
    help: "--db mariadb|mysql: keep each node's data directory in the run folder (local processes only)",
    schema: (z) => z.boolean(),
    defaultValue: false,
    defaultText: 'off',
  }),
  network: option({
    flag: '--network',
    argument: '<proxy|io-thread>',
    help: '--db mariadb|mysql: every link behind a Toxiproxy (proxy), or replication cut by stopping IO threads',
    schema: (z) => z.enum(['proxy', 'io-thread']),
    defaultValue: 'proxy',
    parse: choice(['proxy', 'io-thread'] as const),
  }),
  toxiproxyUrl: option({
    flag: '--toxiproxy-url',
    argument: '<url>',
    help: '--db mariadb|mysql: drive this Toxiproxy instead of starting the embedded one',
    schema: (z) => z.string().url().optional(),
    defaultValue: undefined,
    defaultText: 'embedded',
    parse: text,
  }),
}

export type RunOptionKey = keyof typeof RUN_OPTIONS

/** How a default reads for people: `defaultText`, or the value itself. */
export function defaultTextOf(option: RunOption): string {
  if (option.defaultText !== undefined) return option.defaultText
  const value = option.defaultValue
  if (typeof value === 'boolean') return value ? 'on' : 'off'
  return Array.isArray(value) ? value.join(',') : String(value)
}

/** The commander key a flag's value arrives under (`--semi-sync-timeout` → `semiSyncTimeout`). */
export function flagKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase())
}
