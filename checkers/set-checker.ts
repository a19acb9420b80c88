import { HistoryFormatError } from '../core/history/history-format-error.js'
import type { Op } from '../core/history/op.js'
import { CappedAnomalies } from './capped-anomalies.js'
import type { AnomalyKind, CheckContext, CheckResult, Checker } from './checker.js'

/**
 * Jepsen's set-full semantics for the set workload (`add` an integer, `read` the whole set). The primary's final state
 * is the ground truth: an acknowledged add missing from it is a lost write (what semi-sync promises cannot happen), an
 * element a client once read that is missing from it is a phantom (a read of data that was later rolled back).
 *
 * Everything is linear in the history plus the total size of the read arrays, apart from a few sorts.
 */
export class SetChecker implements Checker {
  readonly name = 'set'

  check(history: readonly Op[], _ctx?: CheckContext): CheckResult {
    const { adds, reads, failovers } = pairSetOps(history)
    const elements = elementRecords(adds)
    const state = chooseFinalState(reads)
    const stateReads = state.read !== null ? [state.read] : [...state.perKey.values()]
    const finalSet = stateReads.length === 0 ? null : new Set<unknown>(stateReads.flatMap((r) => r.values))
    for (const element of finalSet ?? []) {
      const rec = elements.get(element)
      if (rec !== undefined) rec.inFinalState = true
    }
    // Whether the final state speaks for an element: a final-phase read always does. Without a final phase (an
    // interrupted run, another tool's history) the last read of the element's key does only if it began after
    // everything known of the element (its ack, the reads that saw it); otherwise the element's fate is unknown.
    const judged = (rec: ElementRecord): boolean => {
      const stateRead = state.read ?? (rec.key === undefined ? undefined : state.perKey.get(rec.key))
      if (stateRead === undefined) return false
      if (state.source === 'final-read') return true
      return stateRead.invoke.index > Math.max(rec.firstOk?.ok.index ?? -1, rec.firstSeen?.ok.index ?? -1)
    }
    const anomalies = new CappedAnomalies(KIND_ORDER)

    const scan = scanReads(reads, new Set(stateReads), judged, elements, anomalies)
    const tally = judgeElements(elements.records, judged, failoverFinder(failovers), anomalies)
    for (const [element, read] of scan.neverAdded) reportNeverAdded(element, read, anomalies)

    const verdict = setVerdict(anomalies.total(), finalSet !== null, tally.unjudgedAcked)
    return {
      ...verdict,
      anomalies: anomalies.list(),
      stats: {
        finalStateSource: state.source,
        finalStateRead: state.read === null ? null : { ...readRef(state.read), role: state.read.role ?? null },
        keys: new Set(adds.map((a) => a.invoke.key).filter((k) => k !== undefined)).size,
        finalStateSize: finalSet?.size ?? 0,
        attempts: adds.length,
        okAdds: adds.filter((a) => a.completion?.type === 'ok').length,
        infoAdds: adds.filter((a) => a.completion === null || a.completion.type === 'info').length,
        pendingAdds: adds.filter((a) => a.completion === null).length,
        failAdds: adds.filter((a) => a.completion?.type === 'fail').length,
        duplicateAdds: elements.records.filter((rec) => rec.attempts > 1).length,
        reads: reads.length,
        ...tally,
        staleReads: scan.staleReads,
        anomalyCounts: anomalies.counts(),
      },
    }
  }
}

/** How an add ended; `pending` means the run ended before it completed, which counts as `info`. */
export type AddOutcome = 'ok' | 'info' | 'fail' | 'pending'

interface AddAttempt {
  invoke: Op
  completion: Op | null
}

interface OkRead {
  invoke: Op
  ok: Op
  values: readonly unknown[]
  /** Taken in the final phase, after every fault was healed. */
  final: boolean
  node: string | undefined
  role: 'primary' | 'replica' | undefined
  /** A keyed read covers only the elements added under that key (Jepsen's independent keys). */
  key: string | undefined
}

/** What the history says about one element, across every add of it and every read. */
interface ElementRecord {
  element: unknown
  /** The key its first add was made under, if the history is keyed. */
  key: string | undefined
  attempts: number
  /** The add whose `ok` came first: the moment the element became acknowledged. */
  firstOk: { invoke: Op; ok: Op } | null
  firstFail: { invoke: Op; fail: Op } | null
  anyInfo: boolean
  anyPending: boolean
  /** First non-final read that returned it (phantom evidence). */
  firstSeen: OkRead | null
  /** First read of any kind that returned it. */
  firstSeenAnywhere: OkRead | null
  /** Last read that returned it, other than the read that is the final state. */
  lastSeen: OkRead | null
  inFinalState: boolean
  /** `firstOk.ok.index`, or Infinity if never acked: kept flat because the hot loop must not chase pointers. */
  ackIndex: number
  /** Position of the last read scanned that held it: spots duplicates without a Set per read. */
  lastReadNo: number
}

/** Pairs invokes with completions per process; keeps only adds, ok reads and the nemesis' failovers. */
function pairSetOps(history: readonly Op[]): { adds: AddAttempt[]; reads: OkRead[]; failovers: Op[] } {
  const adds: AddAttempt[] = []
  const reads: OkRead[] = []
  const failovers: Op[] = []
  const inFlight = new Map<number, { invoke: Op; add: AddAttempt | null }>()
  for (const op of history) {
    if (op.process === 'nemesis') {
      // The completion carries the failover's report (from, to, policy); Jepsen-style info/info pairs work too.
      if (op.f === 'failover' && op.type !== 'invoke') failovers.push(op)
      continue
    }
    if (op.f !== 'add' && op.f !== 'read') continue
    if (op.type === 'invoke') {
      const add = op.f === 'add' ? { invoke: op, completion: null } : null
      if (add !== null) {
        if (!isSetElement(op.value)) throw malformed(op, `an add of ${describeValue(op.value)}`)
        adds.push(add)
      }
      inFlight.set(op.process, { invoke: op, add })
      continue
    }
    const pending = inFlight.get(op.process)
    if (pending === undefined || pending.invoke.f !== op.f) continue
    inFlight.delete(op.process)
    if (pending.add !== null) pending.add.completion = op
    else if (op.type === 'ok') reads.push(okRead(pending.invoke, op))
  }
  return { adds, reads, failovers }
}

/** Set elements are what the set workload adds: non-negative integers (Jepsen's set). */
function isSetElement(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'an array'
  if (value !== null && typeof value === 'object') return 'an object'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

function malformed(op: Op, what: string): HistoryFormatError {
  return new HistoryFormatError(
    `${what}: set elements are non-negative integers, and an ok read's value is an array of them`,
    {
      opIndex: op.index,
    },
  )
}

function okRead(invoke: Op, ok: Op): OkRead {
  if (!Array.isArray(ok.value)) throw malformed(ok, `an ok read of ${describeValue(ok.value)}`)
  const bad = ok.value.find((element) => !isSetElement(element))
  if (bad !== undefined) throw malformed(ok, `an ok read holding ${describeValue(bad)}`)
  return {
    invoke,
    ok,
    values: ok.value,
    final: ok.final === true || invoke.final === true,
    node: ok.node ?? invoke.node,
    role: ok.role ?? invoke.role,
    key: invoke.key ?? ok.key,
  }
}

function elementRecords(adds: readonly AddAttempt[]): ElementTable {
  const records = new Map<unknown, ElementRecord>()
  for (const add of adds) {
    const element = add.invoke.value
    let rec = records.get(element)
    if (rec === undefined) {
      rec = {
        element,
        key: add.invoke.key,
        attempts: 0,
        firstOk: null,
        firstFail: null,
        anyInfo: false,
        anyPending: false,
        firstSeen: null,
        firstSeenAnywhere: null,
        lastSeen: null,
        inFinalState: false,
        ackIndex: Infinity,
        lastReadNo: -1,
      }
      records.set(element, rec)
    }
    rec.attempts++
    const done = add.completion
    if (done === null) rec.anyPending = true
    else if (done.type === 'info') rec.anyInfo = true
    else if (done.type === 'fail') rec.firstFail ??= { invoke: add.invoke, fail: done }
    else if (done.type === 'ok' && (rec.firstOk === null || done.index < rec.firstOk.ok.index)) {
      rec.firstOk = { invoke: add.invoke, ok: done }
      rec.ackIndex = done.index
    }
  }
  return new ElementTable(records)
}

/**
 * Element → record, for the hot loop over read arrays. Set elements are small non-negative integers in practice, and
 * at 10^5–10^6 elements a Map lookup misses the CPU cache (measured ~30x slower than an array), so when every element
 * is such an integer and they are dense enough, lookups go through an array indexed by the element.
 */
class ElementTable {
  /** In order of each element's first add. */
  readonly records: readonly ElementRecord[]
  private readonly dense: ReadonlyArray<ElementRecord | undefined> | null

  constructor(private readonly byValue: ReadonlyMap<unknown, ElementRecord>) {
    this.records = [...byValue.values()]
    this.dense = denseIndex(this.records)
  }

  get(element: unknown): ElementRecord | undefined {
    if (this.dense === null) return this.byValue.get(element)
    // Dense mode holds every added element, so anything that is not a non-negative integer was never added.
    return typeof element === 'number' && Number.isInteger(element) && element >= 0 ? this.dense[element] : undefined
  }
}

function denseIndex(records: readonly ElementRecord[]): Array<ElementRecord | undefined> | null {
  let max = -1
  for (const rec of records) {
    const e = rec.element
    if (typeof e !== 'number' || !Number.isInteger(e) || e < 0) return null
    if (e > max) max = e
  }
  if (max > 4 * records.length + 1024) return null
  const dense = new Array<ElementRecord | undefined>(max + 1).fill(undefined)
  for (const rec of records) dense[rec.element as number] = rec
  return dense
}

/** Duplicate adds are tolerated: the element is acked if any add is ok, uncertain if any might have taken effect. */
function outcomeOf(rec: ElementRecord): AddOutcome {
  if (rec.firstOk !== null) return 'ok'
  if (rec.anyInfo) return 'info'
  if (rec.anyPending) return 'pending'
  return 'fail'
}

type FinalStateSource = 'final-read' | 'last-read' | 'last-read-per-key' | 'none'

interface FinalState {
  /** The read that is the whole final state, if there is one. */
  read: OkRead | null
  /** Without one, in a keyed history: the last read of each key speaks for that key's elements. */
  perKey: Map<string, OkRead>
  source: FinalStateSource
}

/**
 * The primary's final read from the final phase (the last, if several). Without a final phase, Jepsen's `set`
 * convention: the last ok read is the final state, per key when reads are keyed. With final reads but none from a
 * primary, the last final read.
 */
function chooseFinalState(reads: readonly OkRead[]): FinalState {
  const perKey = new Map<string, OkRead>()
  const finals = reads.filter((r) => r.final)
  if (finals.length > 0) {
    const primary = finals.findLast((r) => r.role === 'primary')
    return { read: primary ?? finals.at(-1) ?? null, perKey, source: 'final-read' }
  }
  const last = reads.at(-1)
  if (last === undefined) return { read: null, perKey, source: 'none' }
  if (reads.every((r) => r.key === undefined)) return { read: last, perKey, source: 'last-read' }
  for (const read of reads) if (read.key !== undefined) perKey.set(read.key, read)
  return { read: null, perKey, source: 'last-read-per-key' }
}

/**
 * One pass over every read: records where each element was seen, reports duplicates, collects elements nobody
 * added, and finds stale reads: a read that began after an element was acknowledged, lacks it, though the element is
 * in the final state. A read on the primary (the runner sends every client op to the node that is primary when it
 * begins) must see what the primary acknowledged before: that is a `stale-read` anomaly (a primary promoted before
 * it applied what it received, or a read served by a deposed one). A read marked `role: replica` may lag: counted only.
 */
function scanReads(
  reads: readonly OkRead[],
  stateReads: ReadonlySet<OkRead>,
  judged: (rec: ElementRecord) => boolean,
  elements: ElementTable,
  anomalies: CappedAnomalies,
): { neverAdded: Map<unknown, OkRead>; staleReads: number } {
  const neverAdded = new Map<unknown, OkRead>()
  // Ack indices of the acked elements in the final state, sorted (all of them, and per key for keyed reads): how
  // many a read starting at index i should contain.
  const ackedFinal: number[] = []
  const ackedFinalByKey = new Map<string, number[]>()
  for (const rec of elements.records) {
    if (rec.firstOk === null || !rec.inFinalState || !judged(rec)) continue
    ackedFinal.push(rec.firstOk.ok.index)
    if (rec.key !== undefined) {
      const list = ackedFinalByKey.get(rec.key)
      if (list) list.push(rec.firstOk.ok.index)
      else ackedFinalByKey.set(rec.key, [rec.firstOk.ok.index])
    }
  }
  ackedFinal.sort((a, b) => a - b)
  for (const list of ackedFinalByKey.values()) list.sort((a, b) => a - b)
  let staleReads = 0
  for (let readNo = 0; readNo < reads.length; readNo++) {
    const read = reads[readNo] as OkRead
    const isState = stateReads.has(read)
    const expectedAcked = read.key === undefined ? ackedFinal : (ackedFinalByKey.get(read.key) ?? [])
    const checkStale = !read.final && !isState
    const startedAt = read.invoke.index
    // Reads hold the whole set, so this loop is the checker's hot path: no per-read Set for known elements.
    const duplicates = new Map<unknown, number>()
    const countDuplicate = (element: unknown) => duplicates.set(element, (duplicates.get(element) ?? 1) + 1)
    let unknownSeen: Set<unknown> | null = null
    let ackedPresent = 0
    for (const element of read.values) {
      const rec = elements.get(element)
      if (rec === undefined) {
        unknownSeen ??= new Set()
        if (unknownSeen.has(element)) countDuplicate(element)
        unknownSeen.add(element)
        if (!neverAdded.has(element)) neverAdded.set(element, read)
        continue
      }
      if (rec.lastReadNo === readNo) {
        countDuplicate(element)
        continue
      }
      rec.lastReadNo = readNo
      if (read.key !== undefined && rec.key !== undefined && read.key !== rec.key) reportWrongKey(rec, read, anomalies)
      rec.firstSeenAnywhere ??= read
      if (!isState) rec.lastSeen = read
      if (!read.final && !isState) rec.firstSeen ??= read
      if (checkStale && rec.inFinalState && rec.ackIndex < startedAt) ackedPresent++
    }
    if (checkStale && ackedPresent < countBelow(expectedAcked, startedAt)) {
      staleReads++
      if (read.role !== 'replica') reportStaleRead(read, readNo, elements, judged, anomalies)
    }
    for (const [element, count] of duplicates) {
      anomalies.add('duplicate', () => ({
        message: `read at index ${read.ok.index} returned ${show(element)} ${count} times`,
        evidence: { readIndex: read.ok.index, node: read.node ?? null, element, count },
      }))
    }
  }
  return { neverAdded, staleReads }
}

/**
 * Verdict per element once every read is scanned: acked but missing from the final state is lost; read by a client
 * but missing is a phantom; a failed add that was seen took effect. Uncertain adds are only counted.
 */
function judgeElements(
  records: readonly ElementRecord[],
  judged: (rec: ElementRecord) => boolean,
  failoverAfter: FailoverFinder,
  anomalies: CappedAnomalies,
): { recovered: number; lostUnacked: number; neverRead: number; unjudgedAcked: number } {
  let recovered = 0
  let lostUnacked = 0
  let neverRead = 0
  let unjudgedAcked = 0
  for (const rec of records) {
    const outcome = outcomeOf(rec)
    if (outcome === 'ok' && rec.firstSeenAnywhere === null) neverRead++
    if (outcome === 'fail' && rec.firstSeenAnywhere !== null) reportFailedAddTookEffect(rec, anomalies)
    if (!judged(rec)) {
      if (outcome === 'ok') unjudgedAcked++
      continue
    }
    const uncertain = outcome === 'info' || outcome === 'pending'
    if (uncertain && rec.inFinalState) recovered++
    if (uncertain && !rec.inFinalState) lostUnacked++
    if (rec.inFinalState) continue
    if (rec.firstOk !== null) reportLostAckedWrite(rec, rec.firstOk, failoverAfter, anomalies)
    if (rec.firstSeen !== null) reportPhantomRead(rec, rec.firstSeen, outcome, failoverAfter, anomalies)
  }
  return { recovered, lostUnacked, neverRead, unjudgedAcked }
}

/**
 * Any anomaly makes the history invalid. Otherwise it is valid only when the final state speaks for every
 * acknowledged add; no read at all, or acknowledged adds no later read looked for, leave it unknown, with the reason.
 */
function setVerdict(anomalies: number, anyRead: boolean, unjudgedAcked: number): Pick<CheckResult, 'valid' | 'reason'> {
  if (anomalies > 0) return { valid: false }
  if (!anyRead) return { valid: 'unknown', reason: 'the set was never read, so nothing shows whether adds survived' }
  if (unjudgedAcked > 0) {
    return {
      valid: 'unknown',
      reason:
        `${unjudgedAcked} acknowledged add(s) were never looked for by a read that began after their acknowledgement ` +
        '(no final read: an interrupted run or a history without a final phase)',
    }
  }
  return { valid: true }
}

type FailoverFinder = (afterIndex: number) => { index: number; time: number; value: unknown } | null

function seconds(ns: number): string {
  return `${(ns / 1e9).toFixed(3)} s`
}

/** `failover n1→n2 (most-advanced) at 5.000 s, index 812`, from whatever the failover op recorded. */
function describeFailover(failover: { index: number; time: number; value: unknown }): string {
  const v = (failover.value ?? {}) as { from?: unknown; to?: unknown; policy?: unknown }
  const route = typeof v.from === 'string' ? ` ${v.from}→${typeof v.to === 'string' ? v.to : 'none'}` : ''
  const policy = typeof v.policy === 'string' ? ` (${v.policy})` : ''
  return `failover${route}${policy} at ${seconds(failover.time)}, index ${failover.index}`
}

/** The first nemesis failover after an index: where an element most likely was lost. */
function failoverFinder(failovers: readonly Op[]): FailoverFinder {
  const indices = failovers.map((op) => op.index)
  return (afterIndex) => {
    const op = failovers[countBelow(indices, afterIndex + 1)]
    return op === undefined ? null : { index: op.index, time: op.time, value: op.value ?? null }
  }
}

function reportLostAckedWrite(
  rec: ElementRecord,
  acked: { invoke: Op; ok: Op },
  failoverAfter: FailoverFinder,
  anomalies: CappedAnomalies,
): void {
  anomalies.add('lost-acked-write', () => {
    const lostIn = failoverAfter(acked.ok.index)
    const where = lostIn === null ? 'no failover followed' : `lost in the ${describeFailover(lostIn)}`
    const what = `add of ${show(rec.element)} was acknowledged at ${seconds(acked.ok.time)} (ok at index ${acked.ok.index})`
    return {
      message: `${what} but is missing from the primary's final state; ${where}`,
      evidence: {
        element: rec.element,
        ...(rec.key !== undefined ? { key: rec.key } : {}),
        process: acked.invoke.process,
        invokeIndex: acked.invoke.index,
        invokeTime: acked.invoke.time,
        okIndex: acked.ok.index,
        okTime: acked.ok.time,
        node: acked.ok.node ?? acked.invoke.node ?? null,
        lostIn,
        lastSeen: readRef(rec.lastSeen),
      },
    }
  })
}

function reportPhantomRead(
  rec: ElementRecord,
  firstSeen: OkRead,
  addOutcome: AddOutcome,
  failoverAfter: FailoverFinder,
  anomalies: CappedAnomalies,
): void {
  anomalies.add('phantom-read', () => ({
    message:
      `read at index ${firstSeen.ok.index} returned ${show(rec.element)} (add ${addOutcome}), ` +
      `which is missing from the primary's final state`,
    evidence: {
      element: rec.element,
      firstSeen: { ...readRef(firstSeen), process: firstSeen.ok.process },
      addOutcome,
      lostIn: failoverAfter(firstSeen.ok.index),
    },
  }))
}

/** The elements a stale read lacked (acknowledged before it began, in the final state): listed for the evidence. */
function reportStaleRead(
  read: OkRead,
  readNo: number,
  elements: ElementTable,
  judged: (rec: ElementRecord) => boolean,
  anomalies: CappedAnomalies,
): void {
  anomalies.add('stale-read', () => {
    const missed = elements.records.filter(
      (rec) =>
        rec.firstOk !== null &&
        rec.inFinalState &&
        judged(rec) &&
        rec.firstOk.ok.index < read.invoke.index &&
        (read.key === undefined || rec.key === read.key) &&
        rec.lastReadNo !== readNo,
    )
    // Never empty: the read was counted stale because fewer judged, acknowledged, final elements were present in it
    // than were acknowledged before it began.
    const first = missed[0] as ElementRecord
    return {
      message:
        `read at index ${read.ok.index}${read.node === undefined ? '' : ` on ${read.node}`} missed ` +
        `${missed.length} element(s) acknowledged before it began and present at the end, ` +
        `${show(first.element)} among them (acknowledged at index ${first.ackIndex})`,
      evidence: {
        read: { ...readRef(read), invokeIndex: read.invoke.index, process: read.ok.process },
        node: read.node ?? null,
        missed: missed.slice(0, MAX_LISTED_MISSED).map((rec) => ({
          element: rec.element,
          okIndex: rec.firstOk?.ok.index,
          okTime: rec.firstOk?.ok.time,
          node: rec.firstOk?.ok.node ?? null,
        })),
        missedCount: missed.length,
      },
    }
  })
}

/** How many missed elements a stale-read anomaly lists; the count is exact. */
const MAX_LISTED_MISSED = 20

/** A `fail` promises the add did not happen; seeing the element proves otherwise. */
function reportFailedAddTookEffect(rec: ElementRecord, anomalies: CappedAnomalies): void {
  const failed = rec.firstFail
  const seen = rec.firstSeenAnywhere
  if (failed === null || seen === null) return
  anomalies.add('unexpected', () => ({
    message:
      `add of ${show(rec.element)} failed (index ${failed.fail.index}) yet read at index ${seen.ok.index} ` +
      `returned it: a failed add took effect`,
    evidence: {
      element: rec.element,
      process: failed.invoke.process,
      invokeIndex: failed.invoke.index,
      failIndex: failed.fail.index,
      error: failed.fail.error ?? null,
      readIndex: seen.ok.index,
      node: seen.node ?? null,
    },
  }))
}

/** A read of one key returned an element added under another: it cannot be there. */
function reportWrongKey(rec: ElementRecord, read: OkRead, anomalies: CappedAnomalies): void {
  anomalies.add('unexpected', () => ({
    message: `read of key ${read.key} at index ${read.ok.index} returned ${show(rec.element)}, which was added under key ${rec.key}`,
    evidence: {
      element: rec.element,
      key: rec.key,
      readKey: read.key,
      readIndex: read.ok.index,
      node: read.node ?? null,
    },
  }))
}

function reportNeverAdded(element: unknown, read: OkRead, anomalies: CappedAnomalies): void {
  anomalies.add('unexpected', () => ({
    message: `read at index ${read.ok.index} returned ${show(element)}, which no add ever invoked`,
    evidence: { element, readIndex: read.ok.index, node: read.node ?? null },
  }))
}

function readRef(read: OkRead | null): { index: number; time: number; node: string | null } | null {
  return read === null ? null : { index: read.ok.index, time: read.ok.time, node: read.node ?? null }
}

/** Number of entries of a sorted array below `limit` (binary search). */
function countBelow(sorted: readonly number[], limit: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] ?? Infinity) < limit) lo = mid + 1
    else hi = mid
  }
  return lo
}

function show(element: unknown): string {
  return JSON.stringify(element) ?? String(element)
}

/** The order the set checker lists its kinds in. */
const KIND_ORDER: readonly AnomalyKind[] = ['lost-acked-write', 'phantom-read', 'stale-read', 'unexpected', 'duplicate']
