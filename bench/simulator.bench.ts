/**
 * Simulator benchmark: how much faster than real time the deterministic engine runs a test, and how many history
 * ops per wall second it records with no rate limit. Default topology (2 replicas → 3 nodes, 10 clients), faults on.
 *
 *   npm run bench                 full run (several minutes; see bench/README.md)
 *   npm run bench -- --quick      smoke version (a few seconds)
 *
 * Options: --quick, --only <T> (just the rate-100 rows of T simulated seconds), --seeds <n>, --max-wall <s> (per run;
 * the child is killed past it), --no-build (use dist/ as it is), --json-out <file> (every sample, raw). Progress goes
 * to stderr; the Markdown table goes to stdout.
 *
 * Every measurement runs in a fresh child process, one at a time, so no run inherits another's heap:
 * - "whole process": the compiled CLI (`node dist/harness/cli/bin.js run … --json`), timed from spawn to exit with
 *   process.hrtime.bigint(); Node's start-up, module loading, the run, the checkers and writing the run folder (to a
 *   temp dir) are all included on purpose.
 * - "in-process": this file re-run as `--child`, which calls runTest(config, { inMemory: true }) and times only that
 *   call (no start-up, nothing written to disk).
 * Peak RSS is getrusage's maxRSS of the child (a tiny `--import` probe, bench/rss-probe.mjs, reports it on exit for the
 * CLI), or the last VmHWM polled from /proc when the child dies without running exit handlers (heap out of memory).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { FAULTS, NEMESIS_INTERVAL_S } from './simulator-faults.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const THIS_FILE = fileURLToPath(import.meta.url)
const CLI = join(ROOT, 'dist', 'harness', 'cli', 'bin.js')
const PROBE_URL = pathToFileURL(join(ROOT, 'bench', 'rss-probe.mjs')).href
/** The folders the build compiles (tsconfig.build.json's `include`). */
const SOURCE_DIRS = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] })
  .include

const DEFAULT_READ_FRACTION = 0.2

/**
 * `warm`: in-process after WARM_UP_RUNS runs of the same size in the same process, as `matrix`, `campaign`, `explore`
 * and `shrink` run their tests: V8 has compiled the hot code and sized its heap by then (a fresh process's first T=300
 * run takes about 1.6× as long as its third).
 */
type Mode = 'cli' | 'in-process' | 'warm'

/** Runs before the timed one in a `warm` sample (other seeds, the same size). */
const WARM_UP_RUNS = 2

interface RunSpec {
  rate: number
  timeLimitS: number
  readFraction: number
  seed: number
  /** Untimed runs first, in the same process. */
  warmUpRuns?: number
}

interface Scenario {
  mode: Mode
  rate: number
  timeLimitS: number
  readFraction: number
}

interface Sample {
  seed: number
  ok: boolean
  wallS: number
  valid?: boolean | 'unknown'
  simulatedS?: number
  ops?: number
  clientOps?: number
  events?: number
  historyBytes?: number
  peakRssKb?: number
  failure?: string
}

interface ChildReport {
  valid: boolean | 'unknown'
  wallS: number
  figures: { ops: number; clientOps: number; simulatedSeconds: number; wallSeconds: number; simulatorEvents: number }
  historyBytes: number
  maxRssKb: number
}

// ---------------------------------------------------------------------------------------------------------------
// Child mode: one in-process run.

async function childMain(spec: RunSpec): Promise<void> {
  const { DEFAULT_CONFIG } = await import('../harness/config/test-config.js')
  const { validateConfig } = await import('../harness/config/validate-config.js')
  const { runTest } = await import('../harness/run/run-test.js')
  const configFor = (seed: number) =>
    validateConfig({
      ...DEFAULT_CONFIG,
      name: 'bench',
      nemesis: [...FAULTS],
      nemesisIntervalS: NEMESIS_INTERVAL_S,
      rate: spec.rate,
      timeLimitS: spec.timeLimitS,
      readFraction: spec.readFraction,
      seed,
      resultsDir: join(tmpdir(), 'semisync-bench-unused'),
    })
  // Warm-up seeds far from the measured ones, so no warm-up run is the measured run.
  for (let i = 0; i < (spec.warmUpRuns ?? 0); i++)
    await runTest(configFor(10_000 + spec.seed * 10 + i), { inMemory: true })
  const config = configFor(spec.seed)
  const start = process.hrtime.bigint()
  const outcome = await runTest(config, { inMemory: true })
  const wallS = Number(process.hrtime.bigint() - start) / 1e9
  // What the history would weigh as JSON Lines (measured after the clock stopped).
  let historyBytes = 0
  for (const op of outcome.history) historyBytes += Buffer.byteLength(JSON.stringify(op)) + 1
  const report: ChildReport = {
    valid: outcome.results.valid,
    wallS,
    figures: outcome.results.figures,
    historyBytes,
    maxRssKb: process.resourceUsage().maxRSS,
  }
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

// ---------------------------------------------------------------------------------------------------------------
// Parent mode.

interface Options {
  quick: boolean
  seeds: number
  maxWallS: number
  build: boolean
  jsonOut: string | null
  /** Only the rate-100 rows of this simulated length (the issue's T=300 target), when set. */
  only: number | null
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { quick: false, seeds: 3, maxWallS: 1200, build: true, jsonOut: null, only: null }
  let seedsGiven = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg === '--quick') opts.quick = true
    else if (arg === '--no-build') opts.build = false
    else if (arg === '--seeds') {
      opts.seeds = Number.parseInt(value(), 10)
      seedsGiven = true
    } else if (arg === '--max-wall') opts.maxWallS = Number(value())
    else if (arg === '--json-out') opts.jsonOut = value()
    else if (arg === '--only') opts.only = Number(value())
    else
      throw new Error(
        `unknown argument ${arg} (known: --quick, --seeds <n>, --max-wall <s>, --no-build, --json-out <file>, --only <T>)`,
      )
  }
  if (!Number.isInteger(opts.seeds) || opts.seeds < 1) throw new Error('--seeds must be a positive integer')
  if (!(opts.maxWallS > 0)) throw new Error('--max-wall must be a positive number of seconds')
  if (opts.only !== null && !(opts.only > 0)) throw new Error('--only takes a positive number of simulated seconds')
  if (opts.quick && !seedsGiven) opts.seeds = 1
  return opts
}

function newestMtimeMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestMtimeMs(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/** Runs `npm run build` when dist/ is missing or older than a source file. */
function ensureBuild(build: boolean): void {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0
  const sources = Math.max(
    ...SOURCE_DIRS.map((d) => newestMtimeMs(join(ROOT, d))),
    ...['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(ROOT, f)).mtimeMs),
  )
  if (built >= sources) return
  if (!build) {
    if (built === 0) throw new Error(`${CLI} is missing; run npm run build (or drop --no-build)`)
    log(`warning: dist/ is older than the sources; measuring it anyway (--no-build)`)
    return
  }
  log(built === 0 ? 'dist/ missing: npm run build' : 'dist/ older than the sources: npm run build')
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
  if (result.status !== 0)
    throw new Error(`npm run build failed (exit ${String(result.status)}); fix it or pass --no-build`)
}

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

interface ChildResult {
  wallS: number
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderrTail: string
  hwmKb: number | null
  timedOut: boolean
}

function readVmHwmKb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}

/** Spawns `node args…`, timed from spawn to exit; kills it (by its pid) past maxWallS. */
function runChild(args: string[], env: NodeJS.ProcessEnv, maxWallS: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let hwmKb: number | null = null
    let timedOut = false
    let exitAt: bigint | null = null
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000)
    })
    const poll = setInterval(() => {
      if (child.pid !== undefined) hwmKb = readVmHwmKb(child.pid) ?? hwmKb
    }, 200)
    const killer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, maxWallS * 1000)
    child.on('error', (error) => {
      clearInterval(poll)
      clearTimeout(killer)
      reject(error)
    })
    child.on('exit', (code, signal) => {
      exitAt = process.hrtime.bigint()
      exit = { code, signal }
      clearInterval(poll)
      clearTimeout(killer)
    })
    child.on('close', () => {
      const end = exitAt ?? process.hrtime.bigint()
      resolve({ wallS: Number(end - start) / 1e9, ...exit, stdout, stderrTail: stderr, hwmKb, timedOut })
    })
  })
}

function describeFailure(r: ChildResult, maxWallS: number): string {
  if (r.timedOut) return `killed at the --max-wall limit (${maxWallS} s)`
  const oom = /heap out of memory|Allocation failed/i.test(r.stderrTail)
  const how = r.signal ? `signal ${r.signal}` : `exit code ${String(r.code)}`
  return `${oom ? 'JavaScript heap out of memory' : 'crashed'} (${how}) after ${r.wallS.toFixed(0)} s wall`
}

function lastJsonLine(text: string): unknown {
  const line = text
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'))
  return line === undefined ? undefined : JSON.parse(line)
}

async function cliSample(spec: RunSpec, maxWallS: number): Promise<Sample> {
  const tmp = mkdtempSync(join(tmpdir(), 'semisync-bench-'))
  const rssFile = join(tmp, 'maxrss')
  try {
    const args = [
      '--import',
      PROBE_URL,
      CLI,
      'run',
      '--db',
      'sim',
      '--rate',
      String(spec.rate),
      '--time-limit',
      String(spec.timeLimitS),
      '--seed',
      String(spec.seed),
      '--nemesis',
      FAULTS.join(','),
      '--nemesis-interval',
      String(NEMESIS_INTERVAL_S),
      '--read-fraction',
      String(spec.readFraction),
      '--results-dir',
      join(tmp, 'results'),
      '--json',
    ]
    const r = await runChild(args, { ...process.env, BENCH_RSS_OUT: rssFile }, maxWallS)
    const probed = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : null
    const peakRssKb = probed ?? r.hwmKb ?? undefined
    // 0 valid, 1 invalid, 2 unknown: all are finished runs; anything else is a failure of the run itself.
    const out =
      r.code !== null && r.code <= 2
        ? (lastJsonLine(r.stdout) as
            { valid: boolean | 'unknown'; runDir: string; figures: ChildReport['figures'] } | undefined)
        : undefined
    if (!out) return { seed: spec.seed, ok: false, wallS: r.wallS, peakRssKb, failure: describeFailure(r, maxWallS) }
    const historyFile = join(out.runDir, 'history.jsonl')
    return {
      seed: spec.seed,
      ok: true,
      wallS: r.wallS,
      valid: out.valid,
      simulatedS: out.figures.simulatedSeconds,
      ops: out.figures.ops,
      clientOps: out.figures.clientOps,
      events: out.figures.simulatorEvents,
      historyBytes: existsSync(historyFile) ? statSync(historyFile).size : undefined,
      peakRssKb,
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

async function inProcessSample(spec: RunSpec, maxWallS: number): Promise<Sample> {
  const r = await runChild(['--import', 'tsx', THIS_FILE, '--child', JSON.stringify(spec)], process.env, maxWallS)
  const out = r.code === 0 ? (lastJsonLine(r.stdout) as ChildReport | undefined) : undefined
  if (!out)
    return {
      seed: spec.seed,
      ok: false,
      wallS: r.wallS,
      peakRssKb: r.hwmKb ?? undefined,
      failure: describeFailure(r, maxWallS),
    }
  return {
    seed: spec.seed,
    ok: true,
    wallS: out.wallS,
    valid: out.valid,
    simulatedS: out.figures.simulatedSeconds,
    ops: out.figures.ops,
    clientOps: out.figures.clientOps,
    events: out.figures.simulatorEvents,
    historyBytes: out.historyBytes,
    peakRssKb: out.maxRssKb,
  }
}

function scenarios(quick: boolean, only: number | null): Scenario[] {
  // Warm rows up to T=300: three half-hour runs per sample would double the bench's length for no new fact.
  const rated = (timeLimitS: number): Scenario[] =>
    (timeLimitS <= 300 ? (['cli', 'in-process', 'warm'] as const) : (['cli', 'in-process'] as const)).map((mode) => ({
      mode,
      rate: 100,
      timeLimitS,
      readFraction: DEFAULT_READ_FRACTION,
    }))
  const unlimited = (timeLimitS: number, readFraction: number): Scenario => ({
    mode: 'in-process',
    rate: 0,
    timeLimitS,
    readFraction,
  })
  if (only !== null) return rated(only)
  if (quick) return [...rated(60), unlimited(5, DEFAULT_READ_FRACTION), unlimited(5, 0.02)]
  return [
    ...rated(30), // the CLI's default --time-limit
    ...rated(60),
    ...rated(300),
    ...rated(1800),
    // The same whole-process run with a tenth of the reads (each returns up to 1000 elements): what the reads cost.
    { mode: 'cli', rate: 100, timeLimitS: 300, readFraction: 0.02 },
    unlimited(10, DEFAULT_READ_FRACTION),
    unlimited(10, 0.02),
    unlimited(60, 0.02),
    unlimited(60, DEFAULT_READ_FRACTION),
  ]
}

function scenarioLabel(s: Scenario): string {
  const rate = s.rate === 0 ? 'unlimited rate' : `rate ${s.rate}`
  const how = {
    cli: 'whole process (CLI)',
    'in-process': 'in-process runTest',
    warm: `in-process runTest, warm (after ${WARM_UP_RUNS} runs)`,
  }[s.mode]
  return `${rate}, T=${s.timeLimitS} s, reads ${s.readFraction}, ${how}`
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

function fmt(x: number | undefined, digits = 0): string {
  if (x === undefined || !Number.isFinite(x)) return '—'
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

interface Row {
  scenario: Scenario
  samples: Sample[]
  skipped: number[]
}

function tableRow(row: Row): string {
  const ok = row.samples.filter((s) => s.ok)
  const seeds = [...row.samples.map((s) => s.seed), ...row.skipped]
  const cells: string[] = [
    scenarioLabel(row.scenario),
    seeds.length > 1 ? `${seeds[0]}–${seeds[seeds.length - 1]}` : String(seeds[0]),
  ]
  const peaks = row.samples.map((s) => s.peakRssKb).filter((x): x is number => x !== undefined)
  const peak = peaks.length > 0 ? Math.max(...peaks) / 1024 : undefined
  if (ok.length === 0) {
    cells.push('—', '—', '—', '—', '—', '—', fmt(peak))
  } else {
    const speed = ok.map((s) => s.simulatedS! / s.wallS)
    cells.push(
      fmt(median(ok.map((s) => s.simulatedS!)), 1),
      fmt(median(ok.map((s) => s.wallS)), 2),
      `${fmt(median(speed), 1)} (min ${fmt(Math.min(...speed), 1)})`,
      fmt(median(ok.map((s) => s.ops! / s.wallS))),
      fmt(median(ok.map((s) => s.events! / s.wallS))),
      fmt(median(ok.map((s) => (s.historyBytes ?? Number.NaN) / 1e6)), 1),
      fmt(peak),
    )
  }
  const notes: string[] = []
  if (ok.length > 0) {
    const verdicts = ok.map((s) => String(s.valid))
    const counts = [...new Set(verdicts)].map((v) => `${v} ×${verdicts.filter((x) => x === v).length}`)
    notes.push(`valid: ${counts.join(', ')}; history ops ${fmt(median(ok.map((s) => s.ops!)))}`)
  }
  for (const s of row.samples.filter((x) => !x.ok)) notes.push(`seed ${s.seed}: ${s.failure ?? 'failed'}`)
  if (row.skipped.length > 0) notes.push(`seeds ${row.skipped.join(', ')} not run after that failure`)
  cells.push(notes.join('; '))
  return `| ${cells.join(' | ')} |`
}

function markdownTable(rows: Row[]): string {
  const header = [
    'scenario',
    'seeds',
    'simulated s',
    'wall s (median)',
    '× real time (median, min)',
    'history ops/s',
    'sim events/s',
    'history MB',
    'peak RSS MB',
    'notes',
  ]
  const align = header.map((_, i) => (i === 0 || i === header.length - 1 ? '---' : '---:'))
  return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map(tableRow)].join('\n')
}

function gitState(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' })
  if (head.status !== 0) return 'unknown (not a git checkout)'
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' })
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' + uncommitted changes' : ''}`
}

function machine(): string {
  const model = cpus()[0]?.model ?? 'unknown'
  return [
    `date: ${new Date().toISOString()}`,
    `commit: ${gitState()}`,
    `node: ${process.version}, ${process.platform}/${process.arch}`,
    `cpus: ${availableParallelism()} × ${model}`,
    `memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  ].join('\n')
}

async function parentMain(opts: Options): Promise<void> {
  ensureBuild(opts.build)
  const header = machine()
  log(header)
  const rows: Row[] = []
  for (const scenario of scenarios(opts.quick, opts.only)) {
    const row: Row = { scenario, samples: [], skipped: [] }
    rows.push(row)
    for (let seed = 1; seed <= opts.seeds; seed++) {
      if (row.samples.some((s) => !s.ok)) {
        row.skipped.push(seed)
        continue
      }
      const spec: RunSpec = {
        rate: scenario.rate,
        timeLimitS: scenario.timeLimitS,
        readFraction: scenario.readFraction,
        seed,
        ...(scenario.mode === 'warm' ? { warmUpRuns: WARM_UP_RUNS } : {}),
      }
      log(`… ${scenarioLabel(scenario)}, seed ${seed}`)
      const sample =
        scenario.mode === 'cli' ? await cliSample(spec, opts.maxWallS) : await inProcessSample(spec, opts.maxWallS)
      row.samples.push(sample)
      log(
        sample.ok
          ? `  wall ${sample.wallS.toFixed(2)} s, simulated ${sample.simulatedS!.toFixed(1)} s (${(sample.simulatedS! / sample.wallS).toFixed(1)}× real time), ` +
              `${sample.ops} ops, ${sample.events} events, history ${((sample.historyBytes ?? 0) / 1e6).toFixed(1)} MB, ` +
              `peak RSS ${fmt((sample.peakRssKb ?? Number.NaN) / 1024)} MB, valid ${String(sample.valid)}`
          : `  FAILED: ${sample.failure}, peak RSS ${fmt((sample.peakRssKb ?? Number.NaN) / 1024)} MB`,
      )
    }
  }
  const endLoad = `load average at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`
  if (opts.jsonOut) writeFileSync(opts.jsonOut, `${JSON.stringify({ machine: header, rows }, null, 2)}\n`)
  const faults = `${FAULTS.join(',')} every ${NEMESIS_INTERVAL_S} s`
  process.stdout.write(
    `Simulator benchmark${opts.quick ? ' (--quick)' : ''}: 3 nodes (2 replicas), 10 clients, nemesis ${faults}\n\n` +
      `${markdownTable(rows)}\n\n${`${header}\n${endLoad}`.replace(/^/gm, '    ')}\n`,
  )
}

const argv = process.argv.slice(2)
if (argv[0] === '--child') {
  await childMain(JSON.parse(argv[1] ?? '{}') as RunSpec)
} else {
  try {
    await parentMain(parseArgs(argv))
  } catch (error) {
    log(`bench: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
