/**
 * Whole-process start-up of the built CLI (`dist/`, so `npm run build` first): how long `node dist/harness/cli/bin.js
 * <args>` takes from spawn to exit, and its peak RSS, for the commands people run often and briefly: `--help`,
 * `run --help`, and `check` of a small history (about 80 client ops), as a history file and as a run folder. Beside
 * them, `node -e 0`: what any Node process costs on this machine.
 *
 * Run: `node --import tsx bench/startup.bench.ts [--runs 20]`. Figures (median, min, max of the runs, alternating the
 * cases run by run so machine load hits every case alike) go to stdout as a Markdown table with the load average.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const runsAt = args.indexOf('--runs')
const runs = runsAt < 0 ? 20 : Number(args[runsAt + 1])
const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'dist/harness/cli/bin.js')
const probe = join(root, 'bench/rss-probe.mjs')
const work = mkdtempSync(join(tmpdir(), 'ssc-startup-'))

function node(argv: string[], rssOut?: string): { ms: number; status: number | null; rssKb: number | null } {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, ['--import', probe, ...argv], {
    env: { ...process.env, ...(rssOut ? { BENCH_RSS_OUT: rssOut } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  let rssKb: number | null = null
  if (rssOut) {
    try {
      rssKb = Number(readFileSync(rssOut, 'utf8'))
    } catch {
      rssKb = null
    }
  }
  return { ms, status: result.status, rssKb }
}

try {
  // A small register history on the engine: 1 s at 80 ops/s, 5 clients.
  const made = node([
    bin,
    'run',
    '--workload',
    'register',
    '--time-limit',
    '1',
    '--rate',
    '80',
    '--concurrency',
    '5',
    '--results-dir',
    join(work, 'store'),
    '--name',
    'small',
  ])
  if (made.status !== 0) throw new Error(`the small run failed (exit ${made.status}); is dist/ built?`)
  const runDir = join(
    work,
    'store',
    'small',
    readdirSync(join(work, 'store', 'small')).find((f) => f !== 'latest')!,
  )
  const history = join(runDir, 'history.jsonl')
  const clientOps = readFileSync(history, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"invoke"') && !line.includes('"process":"nemesis"')).length
  const cases: Array<[string, string[]]> = [
    ['node -e 0 (any Node process)', ['-e', '0']],
    ['--help', [bin, '--help']],
    ['run --help', [bin, 'run', '--help']],
    [
      `check <history.jsonl> --checker linearizable (${clientOps} invokes)`,
      [bin, 'check', history, '--checker', 'linearizable'],
    ],
    [`check <run folder> (every checker, ${clientOps} invokes)`, [bin, 'check', runDir]],
  ]
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  const rss = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  const loads: number[] = []
  for (let run = 0; run < runs; run++) {
    for (const [name, argv] of cases) {
      const out = join(work, 'rss')
      const result = node(argv, out)
      if (result.status !== 0 && !name.startsWith('check')) throw new Error(`${name} exited ${result.status}`)
      times.get(name)!.push(result.ms)
      if (result.rssKb !== null) rss.get(name)!.push(result.rssKb / 1024)
    }
    loads.push(loadavg()[0]!)
  }
  const median = (xs: number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? NaN
  }
  console.log(`| command | median ms | min ms | max ms | peak RSS MB (median) |`)
  console.log(`| --- | ---: | ---: | ---: | ---: |`)
  for (const [name] of cases) {
    const t = times.get(name)!
    console.log(
      `| ${name} | ${median(t).toFixed(0)} | ${Math.min(...t).toFixed(0)} | ${Math.max(...t).toFixed(0)} | ${median(rss.get(name)!).toFixed(0)} |`,
    )
  }
  console.log(
    `\n${runs} runs of each, alternating; Node ${process.version}; load average during the runs ` +
      `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`,
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
