/**
 * The simulator's cost in instructions, not seconds: one engine run (`runTest` in memory, rate 100, the bench's
 * faults) under `valgrind --tool=callgrind`, which counts the instructions it executes. On a VM whose speed swings with
 * other tenants by up to 2× within minutes, wall-clock rounds cannot show a change of a few per cent (bench/README.md,
 * "A second machine"); a count varies far less:
 * - V8 compiles and collects garbage on helper threads at times that vary, and sizes its heap from how fast the
 *   process ran: counts of the same code differed by 6 % between two plain runs, and by up to 3.4 % with `node
 *   --single-threaded --predictable`; adding `--predictable-gc-schedule` (the heap grows on a fixed schedule) brought
 *   two runs of the same build within about 0.6 %;
 * - the child is an in-process run with no disk (a whole CLI run also writes a run folder named by the wall clock),
 *   started with `node -e` on the built `dist/`, so no TypeScript loader is in the count.
 * Moving an allocation moves the collections after it, so two builds that differ by almost nothing can still differ by
 * 1–2 % (bench/README.md gives the pairs): a difference under about 2 % is noise. The flags change how V8 runs: a count
 * compares builds with each other; it does not predict wall time.
 *
 * Run: `node --import tsx bench/simulator-instructions.bench.ts [--time-limit 60] [--seeds 1] [--against <checkout>]`
 * (about a minute per run at T=60; `npm run build` first). `--against` takes another checkout with its own `dist/` (a
 * `git worktree` of the commit before a change, say) and runs both builds for each seed.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { FAULTS, NEMESIS_INTERVAL_S } from './simulator-faults.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

interface Options {
  timeLimitS: number
  seeds: number
  against: string | null
}

interface Count {
  build: string
  seed: number
  instructions: number
  clientOps: number
  events: number
  valid: unknown
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(name)
    return at < 0 ? undefined : argv[at + 1]
  }
  const positive = (name: string, fallback: number): number => {
    const text = value(name)
    const n = text === undefined ? fallback : Number(text)
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${text}`)
    return n
  }
  const against = value('--against') ?? null
  return { timeLimitS: positive('--time-limit', 60), seeds: positive('--seeds', 1), against }
}

/** The built modules a child run imports from a checkout. */
function distOf(checkout: string): string {
  const dist = join(resolve(checkout), 'dist')
  if (!existsSync(join(dist, 'harness', 'run', 'run-test.js')))
    throw new Error(`${dist} holds no build: run \`npm run build\` in ${checkout} first`)
  return pathToFileURL(dist).href
}

/** The child: one in-memory run of the build named in BENCH_SPEC, its verdict and figures printed as JSON. */
const CHILD = `
const spec = JSON.parse(process.env.BENCH_SPEC)
const { DEFAULT_CONFIG } = await import(spec.dist + '/harness/config/test-config.js')
const { validateConfig } = await import(spec.dist + '/harness/config/validate-config.js')
const { runTest } = await import(spec.dist + '/harness/run/run-test.js')
const config = validateConfig({ ...DEFAULT_CONFIG, name: 'bench', nemesis: spec.faults,
  nemesisIntervalS: spec.nemesisIntervalS, rate: 100, timeLimitS: spec.timeLimitS, seed: spec.seed,
  resultsDir: 'unused' })
const { results } = await runTest(config, { inMemory: true })
process.stdout.write(JSON.stringify({ valid: results.valid, figures: results.figures }) + '\\n')
`

/** Runs one child under callgrind and reads the total valgrind prints ("==pid== Collected : N"). */
function countRun(build: string, dist: string, seed: number, timeLimitS: number): Promise<Count> {
  const args = [
    '--tool=callgrind',
    '--callgrind-out-file=/dev/null',
    process.execPath,
    '--single-threaded',
    '--predictable',
    '--predictable-gc-schedule',
    '--input-type=module',
    '-e',
    CHILD,
  ]
  const spec = { dist, seed, timeLimitS, faults: FAULTS, nemesisIntervalS: NEMESIS_INTERVAL_S }
  return new Promise((resolvePromise, reject) => {
    const child = spawn('valgrind', args, {
      env: { ...process.env, BENCH_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', (error) => reject(new Error(`could not start valgrind: ${error.message}`)))
    child.on('close', (code) => {
      const collected = /Collected : (\d+)/.exec(stderr)
      if (code !== 0 || collected === null) {
        reject(new Error(`${build} seed ${seed}: exit ${code}; ${stderr.trim().split('\n').slice(-3).join(' | ')}`))
        return
      }
      const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
        valid: unknown
        figures: { clientOps: number; simulatorEvents: number }
      }
      resolvePromise({
        build,
        seed,
        instructions: Number(collected[1]),
        clientOps: out.figures.clientOps,
        events: out.figures.simulatorEvents,
        valid: out.valid,
      })
    })
  })
}

function row(c: Count): string {
  const millions = (c.instructions / 1e6).toFixed(1)
  const perOp = Math.round(c.instructions / c.clientOps)
  const perEvent = Math.round(c.instructions / c.events)
  return `| ${c.build} | ${c.seed} | ${millions} | ${c.clientOps} | ${perOp} | ${c.events} | ${perEvent} | ${String(c.valid)} |`
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' })
  if (valgrind.status !== 0) throw new Error('valgrind is not installed (apt-get install valgrind)')
  const builds: Array<[string, string]> = [['this checkout', distOf(ROOT)]]
  if (options.against !== null) builds.push([`--against ${options.against}`, distOf(options.against)])
  const counts: Count[] = []
  for (let seed = 1; seed <= options.seeds; seed++) {
    for (const [build, dist] of builds) {
      process.stderr.write(`${build}, seed ${seed}, T=${options.timeLimitS} s under callgrind…\n`)
      counts.push(await countRun(build, dist, seed, options.timeLimitS))
    }
  }
  process.stdout.write(
    `In-process \`runTest\` in memory, rate 100, T=${options.timeLimitS} s, nemesis ${FAULTS.join(',')} every ` +
      `${NEMESIS_INTERVAL_S} s, under \`valgrind --tool=callgrind\` with \`node --single-threaded --predictable ` +
      `--predictable-gc-schedule\` ` +
      `(${valgrind.stdout.trim()}, Node ${process.version})\n\n`,
  )
  process.stdout.write(
    '| build | seed | instructions (millions) | client ops | per client op | simulator events | per event | valid |\n' +
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n',
  )
  for (const c of counts) process.stdout.write(`${row(c)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
