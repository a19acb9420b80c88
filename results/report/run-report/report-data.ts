import type { Op } from '../../../core/history/op.js'
import type { StatusSample } from '../../../core/semisync/status-sample.js'
import { nemesisBands, type BandKind } from './nemesis-bands.js'

/** Completion types as the page encodes them; `pending` is an invocation that never completed. */
export const OP_TYPES = ['ok', 'fail', 'info', 'pending'] as const

/**
 * What the page draws, in columns (one array per field, one entry per client operation) so that a 100k-op history
 * stays a few megabytes of JSON. Times are seconds since the run started, latencies milliseconds.
 */
export interface ReportData {
  /** The run's last event, in seconds. */
  endS: number
  ops: {
    /** When the operation was invoked. */
    start: number[]
    /** Invocation to completion (to the end of the run for a pending one). */
    latencyMs: number[]
    /** Index into OP_TYPES. */
    type: number[]
    /** Index into `fs`. */
    f: number[]
    process: number[]
    /** Index into `nodes`, or -1 when the completion names none. */
    node: number[]
    /** 1 for a final-phase read. */
    final: number[]
  }
  fs: string[]
  nodes: string[]
  throughput: { bucketS: number; start: number[]; ok: number[]; fail: number[]; info: number[] }
  bands: Array<{ kind: BandKind; start: number; end: number; label: string; open: boolean }>
  failovers: Array<{ time: number; label: string }>
  /** Per node: the status monitor's readings (null where the node could not be read). */
  status: Record<string, NodeSeries>
}

export interface NodeSeries {
  time: number[]
  /** 1 ON, 0 OFF, null unread. */
  on: Array<number | null>
  waitSessions: Array<number | null>
  yesTx: Array<number | null>
  noTx: Array<number | null>
  clients: Array<number | null>
  /** The primary's binlog position; a replica's received and applied positions (the numbers policies compare). */
  binlogSeq: Array<number | null>
  receivedSeq: Array<number | null>
  appliedSeq: Array<number | null>
}

const S = 1e9
/** Microsecond precision for times, a hundredth of a millisecond for latencies: enough to draw, small to store. */
const seconds = (ns: number): number => Math.round(ns / 1e3) / 1e6
const millis = (ns: number): number => Math.round(ns / 1e4) / 1e2

/** Builds the page's data from a history and the status record. */
export function reportData(history: readonly Op[], samples: readonly StatusSample[]): ReportData {
  const endNs = history.reduce((max, op) => Math.max(max, op.time), 0)
  const fIndex = new Map<string, number>()
  const nodeIndex = new Map<string, number>()
  const indexOf = (map: Map<string, number>, name: string): number => {
    let i = map.get(name)
    if (i === undefined) map.set(name, (i = map.size))
    return i
  }
  for (const sample of samples) indexOf(nodeIndex, sample.node)
  const ops: ReportData['ops'] = { start: [], latencyMs: [], type: [], f: [], process: [], node: [], final: [] }
  const pending = new Map<number, Op>()
  const push = (invoke: Op, completion: Op | null): void => {
    const type = completion === null ? 'pending' : completion.type
    ops.start.push(seconds(invoke.time))
    ops.latencyMs.push(millis((completion?.time ?? endNs) - invoke.time))
    ops.type.push(OP_TYPES.indexOf(type as (typeof OP_TYPES)[number]))
    ops.f.push(indexOf(fIndex, invoke.f))
    ops.process.push(invoke.process as number)
    const node = completion?.node ?? invoke.node
    ops.node.push(node === undefined ? -1 : indexOf(nodeIndex, node))
    ops.final.push(invoke.final === true ? 1 : 0)
  }
  for (const op of history) {
    if (typeof op.process !== 'number') continue
    if (op.type === 'invoke') {
      pending.set(op.process, op)
      continue
    }
    const invoke = pending.get(op.process)
    if (!invoke) continue
    pending.delete(op.process)
    push(invoke, op)
  }
  for (const invoke of pending.values()) push(invoke, null)
  const { bands, failovers } = nemesisBands(history)
  return {
    endS: seconds(endNs),
    ops,
    fs: [...fIndex.keys()],
    nodes: [...nodeIndex.keys()],
    throughput: throughput(history, endNs),
    bands: bands.map((b) => ({
      kind: b.kind,
      start: seconds(b.startNs),
      end: seconds(b.endNs),
      label: b.label,
      open: b.open,
    })),
    failovers: failovers.map((f) => ({
      time: seconds(f.timeNs),
      label: f.to === null ? `failover from ${f.from ?? '?'}: ${f.error ?? 'none promoted'}` : `${f.from} → ${f.to}`,
    })),
    status: statusSeries(samples),
  }
}

/** Completions per second in buckets: about 300 of them over the run, never finer than 100 ms. */
function throughput(history: readonly Op[], endNs: number): ReportData['throughput'] {
  const bucketNs = Math.max(S / 10, Math.ceil(endNs / 300 / (S / 10)) * (S / 10))
  const count = Math.max(1, Math.ceil((endNs + 1) / bucketNs))
  const counts = {
    ok: new Array<number>(count).fill(0),
    fail: new Array<number>(count).fill(0),
    info: new Array<number>(count).fill(0),
  }
  for (const op of history) {
    if (typeof op.process !== 'number' || op.type === 'invoke' || op.final === true) continue
    const bucket = Math.min(count - 1, Math.floor(op.time / bucketNs))
    counts[op.type][bucket] = (counts[op.type][bucket] ?? 0) + 1
  }
  const perSecond = (n: number): number => Math.round((n * S) / bucketNs)
  return {
    bucketS: bucketNs / S,
    start: Array.from({ length: count }, (_, i) => seconds(i * bucketNs)),
    ok: counts.ok.map(perSecond),
    fail: counts.fail.map(perSecond),
    info: counts.info.map(perSecond),
  }
}

function statusSeries(samples: readonly StatusSample[]): Record<string, NodeSeries> {
  const byNode: Record<string, NodeSeries> = {}
  for (const s of samples) {
    const series = (byNode[s.node] ??= {
      time: [],
      on: [],
      waitSessions: [],
      yesTx: [],
      noTx: [],
      clients: [],
      binlogSeq: [],
      receivedSeq: [],
      appliedSeq: [],
    })
    const read = s.error === undefined
    series.time.push(seconds(s.time))
    series.on.push(read && s.role === 'primary' ? (s.status === 'ON' ? 1 : 0) : null)
    series.waitSessions.push(read && s.role === 'primary' ? (s.waitSessions ?? null) : null)
    series.yesTx.push(read ? (s.yesTx ?? null) : null)
    series.noTx.push(read ? (s.noTx ?? null) : null)
    series.clients.push(read && s.role === 'primary' ? (s.clients ?? null) : null)
    series.binlogSeq.push(s.binlogSeq ?? null)
    series.receivedSeq.push(s.receivedSeq ?? null)
    series.appliedSeq.push(s.appliedSeq ?? null)
  }
  return byNode
}
