import { HistoryFormatError } from '../../core/history/history-format-error.js'
import type { Op } from '../../core/history/op.js'
import type { Key, MicroOp, Txn, TxnOutcome } from './txn.js'

/**
 * Pairs each `txn` invocation with its completion, per process, and reads the micro-ops (docs/history-format.md, "The
 * list-append workload"). Other operations and the nemesis are ignored. Anything the checker could misread is rejected
 * with a HistoryFormatError naming the op: a wrong micro-op would otherwise surface as a false anomaly.
 */
export function parseTxns(history: readonly Op[]): Txn[] {
  const txns: Txn[] = []
  const inFlight = new Map<number, Txn>()
  for (const op of history) {
    if (typeof op.process !== 'number' || op.f !== 'txn') continue
    if (op.type === 'invoke') {
      const open = inFlight.get(op.process)
      if (open !== undefined) {
        throw new HistoryFormatError(
          `process ${op.process} invokes a txn while its txn invoked at op ${open.invoke.index} has not completed`,
          { opIndex: op.index },
        )
      }
      const txn: Txn = {
        id: txns.length,
        process: op.process,
        invoke: op,
        completion: null,
        outcome: 'pending',
        mops: parseMicroOps(op, 'invoke'),
        final: op.final === true,
        role: op.role,
        node: op.node,
      }
      txns.push(txn)
      inFlight.set(op.process, txn)
      continue
    }
    const txn = inFlight.get(op.process)
    if (txn === undefined) {
      throw new HistoryFormatError(`a txn ${op.type} on process ${op.process}, which has no txn in flight`, {
        opIndex: op.index,
      })
    }
    inFlight.delete(op.process)
    txn.completion = op
    txn.outcome = op.type as TxnOutcome
    txn.final ||= op.final === true
    txn.role ??= op.role
    txn.node ??= op.node
    // Only an ok completion says what the reads returned; a fail or info one may repeat the invocation or not.
    if (op.type === 'ok') txn.mops = completedMicroOps(txn.mops, op)
  }
  return txns
}

function parseMicroOps(op: Op, phase: 'invoke' | 'ok'): MicroOp[] {
  if (!Array.isArray(op.value)) {
    throw new HistoryFormatError(`a txn's value must be a list of micro-ops, not ${describe(op.value)}`, {
      opIndex: op.index,
    })
  }
  return op.value.map((raw: unknown, i) => parseMicroOp(raw, op, i, phase))
}

function parseMicroOp(raw: unknown, op: Op, i: number, phase: 'invoke' | 'ok'): MicroOp {
  if (!Array.isArray(raw) || raw.length !== 3) throw badMicroOp(raw, op, i, 'is not a [f, key, value] triple')
  const [f, key, value] = raw as [unknown, unknown, unknown]
  if (!isKey(key)) throw badMicroOp(raw, op, i, 'has a key that is neither a string nor an integer')
  if (f === 'append') {
    if (!isElement(value)) throw badMicroOp(raw, op, i, 'appends something other than an integer')
    return { f, key, value }
  }
  if (f !== 'r') throw badMicroOp(raw, op, i, 'is neither "r" nor "append"')
  if (phase === 'invoke') {
    if (value !== null)
      throw badMicroOp(raw, op, i, 'is a read whose invocation already holds a value (it must be null)')
    return { f, key, value: null }
  }
  if (value === null) return { f, key, value: null }
  if (!Array.isArray(value) || !value.every(isElement)) {
    throw badMicroOp(raw, op, i, 'is a read that returned something other than a list of integers or null')
  }
  return { f, key, value: value as number[] }
}

function badMicroOp(raw: unknown, op: Op, i: number, problem: string): HistoryFormatError {
  return new HistoryFormatError(`micro-op ${i} (${describe(raw)}) ${problem}`, { opIndex: op.index })
}

/** An ok completion must be its invocation with the reads filled in. */
function completedMicroOps(invoked: readonly MicroOp[], ok: Op): MicroOp[] {
  const completed = parseMicroOps(ok, 'ok')
  if (completed.length !== invoked.length) {
    throw new HistoryFormatError(
      `the ok txn has ${completed.length} micro-op(s) but its invocation had ${invoked.length}`,
      { opIndex: ok.index },
    )
  }
  completed.forEach((mop, i) => {
    const asked = invoked[i] as MicroOp
    if (mop.f !== asked.f || mop.key !== asked.key || (mop.f === 'append' && mop.value !== asked.value)) {
      throw new HistoryFormatError(
        `micro-op ${i} of the ok txn is ${describe([mop.f, mop.key, mop.value])} but was invoked as ` +
          describe([asked.f, asked.key, asked.value]),
        { opIndex: ok.index },
      )
    }
  })
  return completed
}

function isKey(key: unknown): key is Key {
  return typeof key === 'string' || (typeof key === 'number' && Number.isSafeInteger(key))
}

function isElement(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value)
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}
