/**
 * The false-alarm sweep: many runs of a safe configuration on the built-in engine (AFTER_SYNC, timeout effectively
 * infinite, most-advanced failover, truncate on rejoin) under `--nemesis-schedule random`, each seed drawing its own
 * non-empty set of faults and its load (clients, rate, nemesis interval) and the replicas' apply time. A safe
 * configuration must give no anomaly at all: every one found is printed with the command that reproduces it.
 *
 *   node --import tsx bench/random-sweep.bench.ts [--runs 1000] [--first-seed 1] [--workers 2] [--time-limit 20]
 *
 * Workers are child processes, each taking every n-th seed; runs are in memory (nothing written).
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { FAULT_NAMES, type FaultName } from '../nemesis/fault-packages.js'
import { SeededRandom } from '../core/random/seeded-random.js'
import type { TestConfig } from '../harness/config/test-config.js'

const FOREVER_MS = 1_000_000_000
const FAULTS = FAULT_NAMES.filter((f) => f !== 'none')

interface Args {
  runs: number
  firstSeed: number
  workers: number
  timeLimitS: number
}

interface RunRecord {
  seed: number
  faults: FaultName[]
  valid: boolean | 'unknown'
  kinds: string[]
  clientOps: number
  /** Kills performed, and kills skipped because the replicas had not caught up (`await-replicas`). */
  kills: number
  skippedKills: number
  command: string
}

function parseArgs(argv: string[]): Args & { child: boolean; worker: number } {
  const value = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag)
    if (i < 0) return fallback
    const n = Number(argv[i + 1])
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number, got ${argv[i + 1]}`)
    return n
  }
  return {
    runs: value('--runs', 1000),
    firstSeed: value('--first-seed', 1),
    workers: Math.max(1, value('--workers', 2)),
    timeLimitS: value('--time-limit', 20),
    child: argv.includes('--child'),
    worker: value('--worker', 0),
  }
}

/** What a seed draws besides its schedule: its faults, load and apply time (a stream of its own). */
export function sweepConfigFor(seed: number, timeLimitS: number): Partial<TestConfig> {
  const random = new SeededRandom(seed, 'random-sweep')
  let faults = FAULTS.filter(() => random.chance(0.5))
  if (faults.length === 0) faults = [random.pick(FAULTS)]
  return {
    seed,
    nemesis: faults,
    nemesisSchedule: 'random',
    nemesisIntervalS: random.pick([1, 2, 3, 5]),
    concurrency: random.pick([5, 10, 20, 50]),
    rate: random.pick([50, 100, 500, 2000]),
    applyTimeUs: random.pick([200, 2000, 20_000]),
    timeLimitS,
    waitPoint: 'after_sync',
    semiSyncTimeoutMs: FOREVER_MS,
    failoverPolicy: 'most-advanced',
    rejoin: 'truncate',
  }
}

function commandFor(config: Partial<TestConfig>): string {
  return (
    `semisync-chaos run --db sim --nemesis-schedule random --nemesis ${(config.nemesis ?? []).join(',')} ` +
    `--nemesis-interval ${config.nemesisIntervalS} --concurrency ${config.concurrency} --rate ${config.rate} ` +
    `--apply-time ${config.applyTimeUs} --time-limit ${config.timeLimitS} --semi-sync-timeout ${FOREVER_MS} ` +
    `--seed ${config.seed}`
  )
}

function isSkipped(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'skipped' in value
}

async function child(args: Args & { worker: number }): Promise<void> {
  const { DEFAULT_CONFIG } = await import('../harness/config/test-config.js')
  const { validateConfig } = await import('../harness/config/validate-config.js')
  const { runTest } = await import('../harness/run/run-test.js')
  for (let i = args.worker; i < args.runs; i += args.workers) {
    const partial = sweepConfigFor(args.firstSeed + i, args.timeLimitS)
    const config = validateConfig({ ...DEFAULT_CONFIG, ...partial })
    const outcome = await runTest(config, { inMemory: true })
    const record: RunRecord = {
      seed: config.seed,
      faults: config.nemesis,
      valid: outcome.results.valid,
      kinds: [...new Set(outcome.results.anomalies.map((a) => a.kind))].sort(),
      clientOps: outcome.results.figures.clientOps,
      kills: outcome.history.filter((op) => op.f === 'kill' && op.type === 'invoke').length,
      skippedKills: outcome.history.filter((op) => op.f === 'kill' && isSkipped(op.value)).length,
      command: commandFor(partial),
    }
    process.send?.(record)
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  if (args.child) return child(args)
  const started = process.hrtime.bigint()
  const records: RunRecord[] = []
  const self = fileURLToPath(import.meta.url)
  await Promise.all(
    Array.from({ length: args.workers }, (_, worker) => {
      const argv = ['--child', '--worker', String(worker), '--workers', String(args.workers)]
      argv.push('--runs', String(args.runs), '--first-seed', String(args.firstSeed))
      argv.push('--time-limit', String(args.timeLimitS))
      const proc = fork(self, argv, { execArgv: ['--import', 'tsx'] })
      proc.on('message', (record: RunRecord) => {
        records.push(record)
        if (record.valid !== true) process.stderr.write(`seed ${record.seed}: ${record.valid} ${record.kinds}\n`)
        if (records.length % 50 === 0) process.stderr.write(`${records.length}/${args.runs} runs\n`)
      })
      return new Promise<void>((resolve, reject) =>
        proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${worker} exited ${code}`)))),
      )
    }),
  )
  const wallS = Number(process.hrtime.bigint() - started) / 1e9
  const flagged = records.filter((r) => r.valid !== true).sort((a, b) => a.seed - b.seed)
  const faultUse = Object.fromEntries(FAULTS.map((f) => [f, records.filter((r) => r.faults.includes(f)).length]))
  const ops = records.reduce((n, r) => n + r.clientOps, 0)
  const kills = records.reduce((n, r) => n + r.kills, 0)
  const skippedKills = records.reduce((n, r) => n + r.skippedKills, 0)
  const lines = [
    `| runs | seeds | not valid | anomalies | client ops | wall |`,
    `| --- | --- | --- | --- | --- | --- |`,
    `| ${records.length} | ${args.firstSeed}–${args.firstSeed + args.runs - 1} | ${flagged.length} | ` +
      `${flagged.filter((r) => r.kinds.length > 0).length} | ${ops} | ${wallS.toFixed(0)} s |`,
    '',
    `kills: ${kills} performed, ${skippedKills} skipped (the replicas had not caught up)`,
    `runs per fault: ${Object.entries(faultUse)
      .map(([f, n]) => `${f} ${n}`)
      .join(', ')}`,
    ...flagged.map((r) => `- seed ${r.seed} (${r.valid}, ${r.kinds.join(', ') || 'no anomaly'}): ${r.command}`),
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  process.exitCode = flagged.length === 0 ? 0 : 1
}

await main()
