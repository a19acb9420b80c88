import { closeSync, openSync, writeSync } from 'node:fs'
import type { Op, OpDraft } from '../../core/history/op.js'

/** Field order on disk, so identical runs write byte-identical files whatever order the drafts were built in. */
const FIXED_KEY_ORDER = ['index', 'time', 'process', 'type', 'f', 'key', 'value', 'node', 'error', 'final', 'role']
const FIXED_KEYS = new Set(FIXED_KEY_ORDER)

/** Writes happen in chunks of about this size: one syscall per op would dominate a fast simulated run. */
const FLUSH_THRESHOLD_CHARS = 64 * 1024

/** The fields of `op` in the fixed order, then any extra fields in insertion order; undefined fields are dropped. */
function orderedEntries(op: Op): Array<[string, unknown]> {
  const fields = op as unknown as Record<string, unknown>
  const entries: Array<[string, unknown]> = []
  for (const key of FIXED_KEY_ORDER) {
    if (fields[key] !== undefined) entries.push([key, fields[key]])
  }
  for (const key of Object.keys(fields)) {
    if (!FIXED_KEYS.has(key) && fields[key] !== undefined) entries.push([key, fields[key]])
  }
  return entries
}

/**
 * One history line (no newline). The object text is assembled by hand rather than by `JSON.stringify` of a rebuilt
 * object, because JS objects list integer-like keys first and the order must be exactly the fixed one.
 */
export function serializeOp(op: Op): string {
  const parts: string[] = []
  for (const [key, value] of orderedEntries(op)) {
    let json: string | undefined
    try {
      json = JSON.stringify(value)
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      throw new Error(`cannot serialise field "${key}" of op ${String(op.index)} (${op.f}): ${why}`, { cause: err })
    }
    // Functions and symbols have no JSON form; drop them as JSON.stringify would for an object field.
    if (json !== undefined) parts.push(`${JSON.stringify(key)}:${json}`)
  }
  return `{${parts.join(',')}}`
}

/**
 * The op with its fields inserted in the fixed order (the hot path of every run: no intermediate arrays). Extra
 * fields follow in the draft's order. Also says whether an extra field's name is integer-like (JSON.stringify would
 * then list it first), which only an op with extra fields can have.
 */
function stampInOrder(draft: OpDraft, index: number, time: number): { op: Op; integerLikeKey: boolean } {
  const d = draft as Partial<Op> & Record<string, unknown>
  const op: Record<string, unknown> = { index, time, process: d.process, type: d.type, f: d.f }
  if (d.key !== undefined) op.key = d.key
  if (d.value !== undefined) op.value = d.value
  if (d.node !== undefined) op.node = d.node
  if (d.error !== undefined) op.error = d.error
  if (d.final !== undefined) op.final = d.final
  if (d.role !== undefined) op.role = d.role
  let integerLikeKey = false
  for (const key in d) {
    if (FIXED_KEYS.has(key)) continue
    if (d[key] !== undefined) op[key] = d[key]
    if (INTEGER_LIKE.test(key)) integerLikeKey = true
  }
  return { op: op as unknown as Op, integerLikeKey }
}

const INTEGER_LIKE = /^\d+$/

export interface HistoryRecorderOptions {
  /** Where to write the JSON Lines history; null keeps it in memory only. */
  path: string | null
  /** Integer nanoseconds since the run started (the run's clock). */
  now: () => number
}

/**
 * Records the history while a run goes on: gives each op its index and time, keeps every op in memory for the
 * checkers, and streams lines to the file so an interrupted run still leaves a readable history.
 */
export class HistoryRecorder {
  private readonly path: string | null
  private readonly now: () => number
  private readonly recorded: Op[] = []
  private buffered: string[] = []
  private bufferedChars = 0
  private fd: number | null
  private closed = false
  private droppedAfterClose = 0

  constructor(opts: HistoryRecorderOptions) {
    this.path = opts.path
    this.now = opts.now
    // Created (truncated) now, not at the first flush, so even a run killed early leaves a file behind.
    this.fd = opts.path === null ? null : openSync(opts.path, 'w')
  }

  /** Stamps the draft with the next index and the current time, keeps it and queues it for the file. */
  record(draft: OpDraft): Op {
    const { op, integerLikeKey } = stampInOrder(draft, this.recorded.length, this.now())
    if (this.closed) {
      // A run that failed closes its history while client tasks may still be unwinding: the history ends at close.
      this.droppedAfterClose++
      return op
    }
    this.recorded.push(op)
    if (this.fd !== null) {
      // The object is in the fixed order; JSON.stringify keeps that unless an extra key is integer-like.
      const line = `${integerLikeKey ? serializeOp(op) : JSON.stringify(op)}\n`
      this.buffered.push(line)
      this.bufferedChars += line.length
      if (this.bufferedChars >= FLUSH_THRESHOLD_CHARS) this.flush()
    }
    return op
  }

  /** Ops that arrived after close and are in no history (an aborted run's stragglers). */
  get dropped(): number {
    return this.droppedAfterClose
  }

  /** Every op recorded so far, in index order. */
  ops(): readonly Op[] {
    return this.recorded
  }

  /** Writes buffered lines synchronously: safe from a SIGINT handler or `process.on('exit')`. */
  flush(): void {
    if (this.fd === null || this.buffered.length === 0) return
    const data = Buffer.from(this.buffered.join(''), 'utf8')
    this.buffered = []
    this.bufferedChars = 0
    try {
      let offset = 0
      while (offset < data.length) offset += writeSync(this.fd, data, offset, data.length - offset)
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      throw new Error(`HistoryRecorder: writing ${this.path} failed: ${why}`, { cause: err })
    }
  }

  /** Flushes and closes the file; later calls are no-ops. */
  close(): void {
    if (this.closed) return
    this.flush()
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
    this.closed = true
  }
}
