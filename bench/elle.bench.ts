/**
 * Elle list-append checker benchmark: how long `ElleChecker.check` takes on a long valid history, and how much memory.
 *
 *   node --import tsx --expose-gc bench/elle.bench.ts                 # 100,000 transactions, strict-serializable
 *   node --import tsx --expose-gc bench/elle.bench.ts --txns 20000    # another size
 *   node --import tsx --expose-gc bench/elle.bench.ts --isolation serializable
 *
 * The level changes what counts as invalid, not the work: every check builds the whole graph, real-time edges
 * included. A warm-up check of 5,000 transactions runs first, so the timed one runs optimised code.
 *
 * The history: 10 client processes, 1,000 keys, 1–4 micro-ops a transaction (half reads, half appends), run against a
 * serial model in simulated time. Each transaction takes effect at a random moment inside its interval (latencies of
 * 0.2–2 ms with a long tail, so several overlap at any time), 1% fail (no effect) and 1% end `info` (half of them take
 * effect; the process is then replaced), then a final phase reads every key on the primary and two replicas. The
 * history is generated before the clock starts; the row is the checker's time alone and the process's peak RSS
 * (getrusage), which includes the history itself. Progress goes to stderr, the Markdown row to stdout.
 */
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ElleChecker, parseIsolationLevel } from '../checkers/elle/index.js'
import type { Op } from '../core/history/op.js'
import { seededUniform } from './bench-random.js'
import { EventQueue } from '../systems/sim/simulator/event-queue.js'

const PROCESSES = 10
const KEYS = 1_000
const MAX_MOPS = 4
const FAIL_RATE = 0.01
const INFO_RATE = 0.01

type Mop = ['r', number, number[] | null] | ['append', number, number]

interface Pending {
  process: number
  mops: Mop[]
  outcome: 'ok' | 'fail' | 'info'
  /** Whether it takes effect (always for ok, never for fail, a coin for info). */
  effect: boolean
  done: Mop[] | null
}

interface SimEvent {
  time: number
  seq: number
  kind: 'invoke' | 'commit' | 'complete'
  slot: number
  txn: Pending | null
}

/** A strictly serializable list-append history of `txns` client transactions, plus the final phase. */
export function generateHistory(txns: number, seed = 42): Op[] {
  const random = seededUniform(seed)
  const history: Op[] = []
  const queue = new EventQueue<SimEvent>()
  const state: number[][] = Array.from({ length: KEYS }, () => [])
  const slotProcess = Array.from({ length: PROCESSES }, (_, i) => i)
  let nextProcess = PROCESSES
  let seq = 0
  let invoked = 0
  let nextValue = 1
  let lastTime = 0
  const latency = (): number => Math.round(200_000 + 600_000 * -Math.log(1 - random()))
  const emit = (time: number, process: number, type: Op['type'], value: unknown, extra: Partial<Op> = {}): void => {
    lastTime = time
    history.push({ index: history.length, time, process, type, f: 'txn', value, ...extra })
  }
  for (let slot = 0; slot < PROCESSES; slot++) {
    queue.push({ time: Math.round(random() * 100_000), seq: seq++, kind: 'invoke', slot, txn: null })
  }
  while (queue.size > 0) {
    const e = queue.pop() as SimEvent
    const process = slotProcess[e.slot] as number
    if (e.kind === 'invoke') {
      if (invoked >= txns) continue
      invoked++
      const mops: Mop[] = Array.from({ length: 1 + Math.floor(random() * MAX_MOPS) }, (): Mop => {
        const key = Math.floor(random() * KEYS)
        return random() < 0.5 ? ['r', key, null] : ['append', key, nextValue++]
      })
      const r = random()
      const outcome = r < FAIL_RATE ? 'fail' : r < FAIL_RATE + INFO_RATE ? 'info' : 'ok'
      const txn: Pending = {
        process,
        mops,
        outcome,
        effect: outcome === 'ok' || (outcome === 'info' && random() < 0.5),
        done: null,
      }
      emit(e.time, process, 'invoke', mops)
      const end = e.time + latency()
      const commitAt = e.time + 1 + Math.floor(random() * (end - e.time - 1))
      queue.push({ time: commitAt, seq: seq++, kind: 'commit', slot: e.slot, txn })
      queue.push({ time: end, seq: seq++, kind: 'complete', slot: e.slot, txn })
    } else if (e.kind === 'commit') {
      const txn = e.txn as Pending
      if (txn.effect) txn.done = execute(txn.mops, state)
    } else {
      const txn = e.txn as Pending
      if (txn.outcome === 'ok') emit(e.time, process, 'ok', txn.done)
      else emit(e.time, process, txn.outcome, txn.mops)
      if (txn.outcome === 'info') slotProcess[e.slot] = nextProcess++
      queue.push({ time: e.time + Math.round(random() * 50_000), seq: seq++, kind: 'invoke', slot: e.slot, txn: null })
    }
  }
  const finalRead: Mop[] = state.map((list, key): Mop => ['r', key, list.length === 0 ? null : [...list]])
  for (const [node, role] of [
    ['n1', 'primary'],
    ['n2', 'replica'],
    ['n3', 'replica'],
  ] as const) {
    const process = nextProcess++
    const invoke: Mop[] = finalRead.map((mop): Mop => ['r', mop[1], null])
    emit(lastTime + 1_000_000, process, 'invoke', invoke, { node, final: true, role })
    emit(lastTime + 2_000_000, process, 'ok', finalRead, { node, final: true, role })
  }
  return history
}

function execute(mops: readonly Mop[], state: number[][]): Mop[] {
  return mops.map((mop): Mop => {
    const list = state[mop[1]] as number[]
    if (mop[0] === 'append') {
      list.push(mop[2])
      return mop
    }
    return ['r', mop[1], list.length === 0 ? null : [...list]]
  })
}

function flag(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name)
  return at >= 0 ? argv[at + 1] : undefined
}

function main(argv: readonly string[]): void {
  const txns = Number.parseInt(flag(argv, '--txns') ?? '100000', 10)
  if (!Number.isInteger(txns) || txns < 1) throw new Error('--txns needs a positive integer')
  const isolation = parseIsolationLevel(flag(argv, '--isolation') ?? 'strict-serializable', '--isolation')
  process.stderr.write(`generating ${txns.toLocaleString('en-US')} transactions … `)
  const history = generateHistory(txns)
  process.stderr.write(`${history.length.toLocaleString('en-US')} events\n`)
  const checker = new ElleChecker({ isolation })
  // A warm-up on a small history of the same shape, so the timed run measures optimised code.
  checker.check(generateHistory(Math.min(5_000, txns), 7), {})
  globalThis.gc?.()
  const rssBefore = process.memoryUsage().rss
  const start = process.hrtime.bigint()
  const result = checker.check(history, {})
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const peakRss = process.resourceUsage().maxRSS * 1024
  const graph = result.stats['graph'] as { nodes: number; edges: Record<string, number> }
  const edges = Object.values(graph.edges).reduce((a, b) => a + b, 0)
  if (result.valid !== true)
    process.stderr.write(
      `unexpected verdict ${String(result.valid)}: ${JSON.stringify(result.anomalies.slice(0, 2))}\n`,
    )
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0)
  process.stdout.write(
    [
      `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown CPU'}), ${new Date().toISOString().slice(0, 10)}`,
      '',
      '| txns | processes | keys | isolation | valid | graph nodes | graph edges | check s | peak RSS MB | RSS before check MB |',
      '| ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |',
      `| ${txns.toLocaleString('en-US')} | ${PROCESSES} | ${KEYS.toLocaleString('en-US')} | ${isolation} | ` +
        `${String(result.valid)} | ${graph.nodes.toLocaleString('en-US')} | ${edges.toLocaleString('en-US')} | ` +
        `${seconds.toFixed(2)} | ${mb(peakRss)} | ${mb(rssBefore)} |`,
      '',
    ].join('\n'),
  )
}

// Only when run as a script: experiments may import the generator.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main(process.argv.slice(2))
