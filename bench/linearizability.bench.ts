/**
 * Linearizability checker benchmark: how fast `checkLinearizable` judges register and kv histories like the harness's
 * workloads produce (10–50 client processes, 1k–100k ops, some `info`, keys rotating every few hundred ops or a single
 * key), and how much memory it takes.
 *
 *   node --import tsx bench/linearizability.bench.ts            # every case, ~1–2 minutes
 *   node --import tsx bench/linearizability.bench.ts --quick    # the small cases only
 *   node --import tsx bench/linearizability.bench.ts --case register-keyed-100k-p50   # one case, JSON out
 *
 * Each case runs in its own child process (no shared heap or JIT state), three times unless `--runs` says otherwise;
 * the table shows the median check time and the highest peak RSS. Histories are generated inside the child, from a
 * fixed seed, before the clock starts: the figures are the checker's alone. Progress goes to stderr, the Markdown
 * table to stdout.
 */
import { spawnSync } from 'node:child_process'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Op, OpType } from '../core/history/op.js'
import { seededUniform } from './bench-random.js'
import { EventQueue } from '../systems/sim/simulator/event-queue.js'

type Model = 'register' | 'kv'

interface BenchCase {
  name: string
  model: Model
  processes: number
  /** Client operations (invocations). */
  ops: number
  /** Ops per key before the key rotates; 0: a single key for the whole history. */
  opsPerKey: number
  /** Fraction of ops that end `info` (half of them having taken effect). */
  infoRate: number
  /** Mean latency over mean gap between a process's ops: how many ops overlap each one, roughly. */
  quick: boolean
}

const CASES: BenchCase[] = [
  {
    name: 'register-keyed-1k-p10',
    model: 'register',
    processes: 10,
    ops: 1_000,
    opsPerKey: 100,
    infoRate: 0.02,
    quick: true,
  },
  {
    name: 'register-keyed-10k-p20',
    model: 'register',
    processes: 20,
    ops: 10_000,
    opsPerKey: 300,
    infoRate: 0.02,
    quick: true,
  },
  {
    name: 'register-single-10k-p20',
    model: 'register',
    processes: 20,
    ops: 10_000,
    opsPerKey: 0,
    infoRate: 0.02,
    quick: true,
  },
  { name: 'kv-keyed-10k-p20', model: 'kv', processes: 20, ops: 10_000, opsPerKey: 300, infoRate: 0.02, quick: true },
  {
    name: 'register-keyed-100k-p50',
    model: 'register',
    processes: 50,
    ops: 100_000,
    opsPerKey: 1_000,
    infoRate: 0.02,
    quick: false,
  },
  {
    name: 'register-keyed-100k-p10',
    model: 'register',
    processes: 10,
    ops: 100_000,
    opsPerKey: 100,
    infoRate: 0.05,
    quick: false,
  },
  {
    name: 'register-single-100k-p50',
    model: 'register',
    processes: 50,
    ops: 100_000,
    opsPerKey: 0,
    infoRate: 0.02,
    quick: false,
  },
  {
    name: 'kv-keyed-100k-p50',
    model: 'kv',
    processes: 50,
    ops: 100_000,
    opsPerKey: 1_000,
    infoRate: 0.02,
    quick: false,
  },
  { name: 'kv-single-100k-p20', model: 'kv', processes: 20, ops: 100_000, opsPerKey: 0, infoRate: 0.02, quick: false },
]

// ---------------------------------------------------------------------------------------------------------------
// History generation: a linearizable system simulated by events in time order.

interface Pending {
  process: number
  f: string
  key: string
  value: unknown
  /** Will end info; `effect` says whether it takes effect first. */
  info: boolean
  effect: boolean
  /** Filled in when it takes effect. */
  result: unknown
  matched: boolean
}

type SimEvent = { time: number; seq: number; kind: 'invoke' | 'effect' | 'complete'; slot: number; op: Pending | null }

/**
 * Clients against a linearizable store: each op takes effect at a random moment inside its interval, reads return
 * the state then, a cas that does not match fails. Latencies are 0.2–2 ms with a long tail, so with many processes a
 * dozen ops overlap each one. Writes and puts carry values unique per key (as the harness's workloads do), appends
 * short unique tokens.
 */
export function generateHistory(c: BenchCase, seed = 42): Op[] {
  const random = seededUniform(seed)
  const history: Op[] = []
  const queue = new EventQueue<SimEvent>()
  const state = new Map<string, unknown>()
  const slotProcess = Array.from({ length: c.processes }, (_, i) => i)
  let nextProcess = c.processes
  let seq = 0
  let invoked = 0
  let counter = 0
  const latency = (): number => Math.round(200_000 + 600_000 * -Math.log(1 - random()))
  const emit = (time: number, process: number, type: OpType, p: Pending, value: unknown): void => {
    history.push({ index: history.length, time, process, type, f: p.f, key: p.key, value })
  }
  for (let slot = 0; slot < c.processes; slot++)
    queue.push({ time: Math.round(random() * 100_000), seq: seq++, kind: 'invoke', slot, op: null })

  while (queue.size > 0) {
    const e = queue.pop() as SimEvent
    const process = slotProcess[e.slot] as number
    if (e.kind === 'invoke') {
      if (invoked >= c.ops) continue
      const key = c.opsPerKey === 0 ? 'k' : `k${Math.floor(invoked / c.opsPerKey)}`
      invoked++
      const op = newOp(c.model, random, key, state, ++counter)
      op.process = process
      const info = random() < c.infoRate
      op.info = info
      op.effect = !info || random() < 0.5
      emit(
        e.time,
        process,
        'invoke',
        op,
        c.model === 'register' && op.f === 'read' ? null : c.model === 'kv' && op.f === 'get' ? null : op.value,
      )
      const end = e.time + latency()
      if (op.effect)
        queue.push({
          time: e.time + 1 + Math.floor(random() * (end - e.time - 1)),
          seq: seq++,
          kind: 'effect',
          slot: e.slot,
          op,
        })
      queue.push({ time: end, seq: seq++, kind: 'complete', slot: e.slot, op })
    } else if (e.kind === 'effect') {
      const op = e.op as Pending
      applyOp(c.model, op, state)
    } else {
      const op = e.op as Pending
      const isRead = op.f === 'read' || op.f === 'get'
      if (op.info) {
        emit(e.time, process, 'info', op, isRead ? null : op.value)
        slotProcess[e.slot] = nextProcess++
      } else if (!op.matched) emit(e.time, process, 'fail', op, op.value)
      else emit(e.time, process, 'ok', op, isRead ? op.result : op.value)
      queue.push({ time: e.time + Math.round(random() * 50_000), seq: seq++, kind: 'invoke', slot: e.slot, op: null })
    }
  }
  return history
}

function newOp(model: Model, random: () => number, key: string, state: Map<string, unknown>, unique: number): Pending {
  const r = random()
  const base = { process: 0, key, info: false, effect: true, result: undefined, matched: true }
  if (model === 'register') {
    if (r < 0.5) return { ...base, f: 'read', value: null }
    if (r < 0.85) return { ...base, f: 'write', value: unique }
    // Expect what the register held at invocation: it often still does when the cas takes effect.
    return { ...base, f: 'cas', value: [state.get(key) ?? null, unique] }
  }
  if (r < 0.5) return { ...base, f: 'get', value: null }
  if (r < 0.65) return { ...base, f: 'put', value: `p${unique};` }
  return { ...base, f: 'append', value: `x${unique};` }
}

function applyOp(model: Model, op: Pending, state: Map<string, unknown>): void {
  const held = state.get(op.key) ?? (model === 'kv' ? '' : null)
  if (op.f === 'read' || op.f === 'get') op.result = held
  else if (op.f === 'write' || op.f === 'put') state.set(op.key, op.value)
  else if (op.f === 'append') state.set(op.key, `${held as string}${op.value as string}`)
  else {
    const [expected, next] = op.value as [unknown, unknown]
    op.matched = expected === held
    if (op.matched) state.set(op.key, next)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Child: one case, one run.

interface CaseReport {
  name: string
  valid: boolean | 'unknown'
  clientOps: number
  events: number
  keys: number
  checkMs: number
  configs: number
  maxConfigsPerKey: number
  rssBeforeMb: number
  peakRssMb: number
  heapUsedAfterMb: number
}

async function runCase(c: BenchCase): Promise<CaseReport> {
  const { checkLinearizable } = await import('../checkers/linearizability/index.js')
  const history = generateHistory(c)
  // A warm-up on a small history of the same shape, so the timed run measures optimised code, as in a long harness run.
  checkLinearizable(generateHistory({ ...c, ops: Math.min(2_000, c.ops) }, 7), { model: c.model })
  globalThis.gc?.()
  const rssBefore = process.memoryUsage().rss
  let peakRss = rssBefore
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5)
  const start = process.hrtime.bigint()
  const result = checkLinearizable(history, { model: c.model, timeoutMs: 600_000 })
  const checkMs = Number(process.hrtime.bigint() - start) / 1e6
  clearInterval(sampler)
  // The sampler cannot run during the synchronous check: getrusage's high-water mark covers that.
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024)
  return {
    name: c.name,
    valid: result.valid,
    clientOps: result.stats.clientOps,
    events: history.length,
    keys: result.keys.total,
    checkMs,
    configs: result.stats.configs,
    maxConfigsPerKey: result.stats.maxConfigsPerKey,
    rssBeforeMb: rssBefore / 2 ** 20,
    peakRssMb: peakRss / 2 ** 20,
    heapUsedAfterMb: process.memoryUsage().heapUsed / 2 ** 20,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: every case in a fresh child, a table.

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

function parentMain(argv: string[]): void {
  const quick = argv.includes('--quick')
  const runsAt = argv.indexOf('--runs')
  const runs = runsAt >= 0 ? Number.parseInt(argv[runsAt + 1] ?? '', 10) : 3
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer')
  const self = fileURLToPath(import.meta.url)
  const rows: string[] = []
  for (const c of CASES.filter((k) => !quick || k.quick)) {
    const reports: CaseReport[] = []
    for (let run = 0; run < runs; run++) {
      process.stderr.write(`${c.name} run ${run + 1}/${runs} … `)
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', self, '--case', c.name], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      })
      if (child.status !== 0) throw new Error(`case ${c.name} failed (exit ${child.status}):\n${child.stderr}`)
      const report = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as CaseReport
      process.stderr.write(`${report.checkMs.toFixed(0)} ms\n`)
      reports.push(report)
    }
    const first = reports[0] as CaseReport
    const ms = median(reports.map((r) => r.checkMs))
    rows.push(
      `| ${c.name} | ${c.model} | ${c.processes} | ${first.clientOps.toLocaleString('en-US')} | ` +
        `${c.opsPerKey === 0 ? '1 (single)' : `${first.keys} (${c.opsPerKey}/key)`} | ${(c.infoRate * 100).toFixed(0)}% | ` +
        `${String(first.valid)} | ${ms.toFixed(0)} | ${Math.round((first.clientOps / ms) * 1000).toLocaleString('en-US')} | ` +
        `${first.maxConfigsPerKey.toLocaleString('en-US')} | ${Math.max(...reports.map((r) => r.peakRssMb)).toFixed(0)} | ` +
        `${first.rssBeforeMb.toFixed(0)} |`,
    )
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  process.stdout.write(
    [
      `node ${process.version}, ${cpus().length} CPUs (${cpu}), ${new Date().toISOString().slice(0, 10)}, median of ${runs} run(s)`,
      '',
      '| case | model | processes | client ops | keys | info | valid | check ms | ops/s | max configs/key | peak RSS MB | RSS before check MB |',
      '| --- | --- | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  )
}

// Only when run as a script: tests and experiments may import the generator.
const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
const caseAt = process.argv.indexOf('--case')
if (!isMain) {
  // imported
} else if (caseAt >= 0) {
  const name = process.argv[caseAt + 1]
  const c = CASES.find((k) => k.name === name)
  if (c === undefined) throw new Error(`unknown case ${String(name)}; known: ${CASES.map((k) => k.name).join(', ')}`)
  process.stdout.write(`${JSON.stringify(await runCase(c))}\n`)
} else parentMain(process.argv.slice(2))
