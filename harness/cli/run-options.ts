import { readFileSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import type { Command } from 'commander'
import { FAULT_NAMES } from '../../nemesis/fault-packages.js'
import { FAILOVER_POLICY_NAMES } from '../failover/failover-policy.js'
import { ConfigError } from '../../core/errors/config-error.js'
import { DEFAULT_CONFIG, validateConfig, type TestConfig } from '../config/test-config.js'
import { parseChoice, parseInteger, parseList, parseNumber, parseOnOff } from './flag-parsers.js'

/** The flags that describe a test; `run` takes them all, `matrix` a few. */
export function addTestOptions(command: Command): Command {
  return command
    .option('--config <test.json>', 'start from a stored test.json (reproduce a run); flags given here override it')
    .option('--name <name>', `test name, the folder under --results-dir (default ${DEFAULT_CONFIG.name})`)
    .option('--db <db>', 'system under test: sim (built-in engine) or mariadb (default sim)')
    .option('--flavor <flavor>', 'server personality: mariadb or mysql (default mariadb)')
    .option('--workload <name>', 'workload: set or register (default set)')
    .option('--wait-point <point>', 'after_sync or after_commit (default after_sync; always set explicitly)')
    .option('--semi-sync <on|off>', 'semi-sync on the primary; off = asynchronous replication (default on)')
    .option('--semi-sync-timeout <ms>', 'rpl_semi_sync_master_timeout in ms (default 10000)')
    .option('--wait-no-slave <on|off>', 'rpl_semi_sync_master_wait_no_slave (default on)')
    .option('--wait-for-slave-count <n>', 'acks needed per commit (MySQL only; default 1)')
    .option('--replicas <n>', 'number of replicas (default 2)')
    .option('--semi-sync-replicas <n>', 'how many replicas ack (the first ones; default: all)')
    .option('--sync-relay-log <n>', 'replicas fsync the relay log every n events (default 1)')
    .option('--failover-policy <name>', `${FAILOVER_POLICY_NAMES.join(' | ')} (default most-advanced)`)
    .option('--rejoin <mode>', 'old primary rejoins: truncate (--init-rpl-role=SLAVE) or as-is (default truncate)')
    .option('--nemesis <faults>', `comma list of ${FAULT_NAMES.join(', ')} (default kill-primary)`)
    .option('--nemesis-interval <s>', 'seconds between fault start and heal (default 5)')
    .option('--latency <ms>', 'latency the latency fault adds per replication link direction (default 200)')
    .option('--latency-jitter <ms>', 'jitter on top of --latency (default 50)')
    .option('--concurrency <n>', 'client threads (default 10)')
    .option('--rate <ops/s>', 'operations per second over all clients; 0 = unlimited (default 100)')
    .option('--time-limit <s>', 'seconds of workload before the final phase (default 30)')
    .option('--seed <n>', 'seed for every random choice (default: a fresh one, printed)')
    .option('--op-timeout <ms>', 'client gives up on an operation after this (it ends info; default 5000)')
    .option('--read-fraction <f>', 'fraction of operations that are reads (default 0.2)')
    .option('--ops-per-key <n>', 'register workload: operations per key before it rotates out (default 200)')
    .option('--recovery-timeout <s>', 'final phase: how long to wait for replicas to catch up (default 60)')
    .option('--apply-time <us>', 'sim: replica SQL-thread time per transaction in µs (default 200)')
    .option('--results-dir <dir>', 'where runs are written (default results)')
    .option('--mariadbd <path>', '--db mariadb: the mariadbd binary (default: found on PATH)')
    .option('--keep-data', '--db mariadb: keep each node\'s data directory in the run folder')
    .option('--network <mode>', '--db mariadb: proxy (every link behind Toxiproxy) or io-thread (default proxy)')
    .option('--toxiproxy-url <url>', '--db mariadb: use this Toxiproxy instead of the embedded one')
}

type Flags = Record<string, string | boolean | undefined>

function loadBase(path: string | undefined): Partial<TestConfig> {
  if (!path) return {}
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError('--config', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ConfigError('--config', `${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('--config', `${path} must hold a JSON object (a run's test.json)`)
  }
  // test.json also records how the run was made; those fields are not config.
  const { runId: _runId, build: _build, argv: _argv, ...config } = parsed as Record<string, unknown>
  return config as Partial<TestConfig>
}

/** Builds and validates a test config from flags (over an optional stored test.json, over the defaults). */
export function configFromFlags(flags: Flags): TestConfig {
  const base = loadBase(typeof flags.config === 'string' ? flags.config : undefined)
  const c: Record<string, unknown> = { ...DEFAULT_CONFIG, ...base }
  const set = (flag: string, field: keyof TestConfig, parse: (flag: string, raw: string) => unknown): void => {
    const key = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase())
    const raw = flags[key]
    if (typeof raw === 'string') c[field] = parse(flag, raw)
  }
  set('--name', 'name', (_f, raw) => raw)
  set('--db', 'db', (f, raw) => parseChoice(f, raw, ['sim', 'mariadb'] as const))
  set('--flavor', 'flavor', (f, raw) => parseChoice(f, raw, ['mariadb', 'mysql'] as const))
  set('--workload', 'workload', (f, raw) => parseChoice(f, raw, ['set', 'register'] as const))
  set('--wait-point', 'waitPoint', (f, raw) => parseChoice(f, raw, ['after_sync', 'after_commit'] as const))
  set('--semi-sync', 'semiSync', parseOnOff)
  set('--semi-sync-timeout', 'semiSyncTimeoutMs', parseInteger)
  set('--wait-no-slave', 'waitNoSlave', parseOnOff)
  set('--wait-for-slave-count', 'waitForSlaveCount', parseInteger)
  set('--replicas', 'replicas', parseInteger)
  set('--sync-relay-log', 'syncRelayLog', parseInteger)
  set('--failover-policy', 'failoverPolicy', (f, raw) => parseChoice(f, raw, FAILOVER_POLICY_NAMES))
  set('--rejoin', 'rejoin', (f, raw) => parseChoice(f, raw, ['truncate', 'as-is'] as const))
  set('--nemesis', 'nemesis', (f, raw) => parseList(f, raw, FAULT_NAMES))
  set('--nemesis-interval', 'nemesisIntervalS', parseNumber)
  set('--latency', 'latencyMs', parseNumber)
  set('--latency-jitter', 'latencyJitterMs', parseNumber)
  set('--concurrency', 'concurrency', parseInteger)
  set('--rate', 'rate', parseNumber)
  set('--time-limit', 'timeLimitS', parseNumber)
  set('--seed', 'seed', parseInteger)
  set('--op-timeout', 'opTimeoutMs', parseInteger)
  set('--read-fraction', 'readFraction', parseNumber)
  set('--ops-per-key', 'opsPerKey', parseInteger)
  set('--recovery-timeout', 'recoveryTimeoutS', parseNumber)
  set('--apply-time', 'applyTimeUs', parseNumber)
  set('--results-dir', 'resultsDir', (_f, raw) => raw)
  set('--mariadbd', 'mariadbd', (_f, raw) => raw)
  set('--network', 'network', (f, raw) => parseChoice(f, raw, ['proxy', 'io-thread'] as const))
  set('--toxiproxy-url', 'toxiproxyUrl', (_f, raw) => raw)
  if ((flags as Record<string, unknown>).keepData === true) c.keepData = true
  // Unless given, every replica acks (and a stored config keeps its own count).
  if (typeof flags.semiSyncReplicas === 'string') c.semiSyncReplicas = parseInteger('--semi-sync-replicas', flags.semiSyncReplicas)
  else if (base.semiSyncReplicas === undefined) c.semiSyncReplicas = c.replicas
  if (flags.seed === undefined && base.seed === undefined) c.seed = randomInt(0, 2 ** 31)
  // MySQL cannot truncate on recovery, so its old primary rejoins as it restarted unless told otherwise.
  if (flags.rejoin === undefined && base.rejoin === undefined && c.flavor === 'mysql') c.rejoin = 'as-is'
  return validateConfig(c)
}
