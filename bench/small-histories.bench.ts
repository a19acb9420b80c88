/**
 * Small histories, in-process, after warm-up: the Jepsen etcd register histories that Porcupine bundles (about 80
 * client ops each, read / write / cas on one register, some `info`), checked by `checkLinearizable` with the register
 * model. They are not part of this repository: clone Porcupine (github.com/anishathalye/porcupine) and point the bench
 * at its `test_data/jepsen` folder.
 *
 * Run: `node --import tsx bench/small-histories.bench.ts --jepsen <porcupine>/test_data/jepsen [--rounds 20]`. Each
 * round checks every file once (so machine load hits every file alike); after 5 warm-up rounds, a file's time is the
 * median of its rounds. Prints the median, p90 and max over the files, one pass's total, the verdicts and the heap.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { checkLinearizable } from '../checkers/linearizability/index.js'
import type { Op } from '../core/history/op.js'

const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at < 0 ? undefined : args[at + 1]
}
const dir = option('--jepsen')
if (!dir) {
  console.error('usage: bench/small-histories.bench.ts --jepsen <porcupine>/test_data/jepsen [--rounds 20]')
  process.exit(2)
}
const rounds = Number(option('--rounds') ?? 20)
const WARM_UP = 5

/** A Jepsen log line: `INFO  jepsen.util - <process> :<type> :<f> <value>` (tabs or spaces). */
const LINE = /jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/

/** Jepsen's value text: `nil`, a number, or `[from to]` for a cas. */
function valueOf(raw: string, where: string): unknown {
  if (raw === 'nil') return null
  const numbers = raw.startsWith('[') ? raw.slice(1, -1).trim().split(/\s+/).map(Number) : [Number(raw)]
  if (numbers.some(Number.isNaN)) throw new Error(`${where}: cannot read the value "${raw}"`)
  return raw.startsWith('[') ? numbers : numbers[0]
}

/** One etcd log as a history in the shared format (docs/history-format.md): one register, no key. */
function historyOf(text: string, file: string): Op[] {
  const ops: Op[] = []
  const invoked = new Map<number, unknown>()
  for (const line of text.split('\n')) {
    const match = LINE.exec(line)
    if (!match) continue
    const [, processText, logged, f, raw] = match as unknown as [string, string, Op['type'], string, string]
    const process = Number(processText)
    // A completion whose text is a reason (`:timed-out`, on an info or a failed read) has an unknown outcome.
    const type: Op['type'] = logged !== 'invoke' && raw.startsWith(':') ? 'info' : logged
    const value = type === 'info' ? invoked.get(process) : valueOf(raw, `${file}, line "${line}"`)
    if (type === 'invoke') invoked.set(process, value)
    ops.push({ index: ops.length, time: ops.length, process, type, f, value: value ?? null })
  }
  return ops
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.log'))
  .sort()
const histories = files.map((file) => ({ file, ops: historyOf(readFileSync(join(dir, file), 'utf8'), file) }))
const times = new Map<string, number[]>(files.map((f) => [f, []]))
const cold: number[] = []
const verdicts = new Map<string, string>()
const loads: number[] = []
for (let round = 0; round < WARM_UP + rounds; round++) {
  for (const { file, ops } of histories) {
    const started = performance.now()
    const result = checkLinearizable(ops, { model: 'register' })
    const ms = performance.now() - started
    if (round >= WARM_UP) times.get(file)!.push(ms)
    if (round === 0) cold.push(ms)
    verdicts.set(file, String(result.valid))
  }
  loads.push(loadavg()[0]!)
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const perFile = files.map((f) => median(times.get(f)!)).sort((a, b) => a - b)
const clientOps = histories.map((h) => h.ops.filter((op) => op.type === 'invoke').length).sort((a, b) => a - b)
const count = (v: string): number => [...verdicts.values()].filter((x) => x === v).length
console.log(`| figure | value |`)
console.log(`| --- | ---: |`)
console.log(`| files | ${files.length} (median ${median(clientOps)} client ops, ${clientOps[0]}–${clientOps.at(-1)}) |`)
console.log(`| verdicts | ${count('true')} valid, ${count('false')} not, ${count('unknown')} unknown |`)
console.log(`| per file, median ms, first pass (cold: V8 not warmed up) | ${median(cold).toFixed(3)} |`)
console.log(`| per file, median ms | ${median(perFile).toFixed(3)} |`)
console.log(`| per file, p90 ms | ${perFile[Math.floor(perFile.length * 0.9)]!.toFixed(3)} |`)
console.log(`| per file, max ms | ${perFile.at(-1)!.toFixed(3)} |`)
console.log(`| one pass over every file, ms (sum of medians) | ${perFile.reduce((a, b) => a + b, 0).toFixed(1)} |`)
console.log(`| heap used after, MB | ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} |`)
console.log(
  `\n${rounds} rounds after ${WARM_UP} warm-up rounds; Node ${process.version}; load average ` +
    `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`,
)
