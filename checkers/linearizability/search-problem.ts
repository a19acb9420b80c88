import { HistoryFormatError } from '../../core/history/history-format-error.js'
import type { Model } from './model.js'
import type { PairedOp } from './pair-ops.js'
import { modelOpOf } from './select-ops.js'

/** How the search treats an op (each kind has its own candidate list; see `wgl-search.ts`). */
export const OK_READ = 0
export const OK_UPDATE = 1
export const UNKNOWN = 2
export type OpKind = typeof OK_READ | typeof OK_UPDATE | typeof UNKNOWN

/** One key's ops, compiled for the search. Op `k` is `ops[k]`; ops are numbered in invocation order. */
export interface SearchProblem<S = unknown, I = unknown> {
  readonly model: Model<S, I>
  readonly ops: readonly PairedOp[]
  readonly inputs: readonly I[]
  readonly kinds: Uint8Array
  /**
   * Calls and returns in history order: `k` is the call of op k, `n + k` its return. Unknown ops have no return: it
   * is at +infinity, so they stay candidates to the end and may also never be linearized.
   */
  readonly events: Int32Array
  readonly okCount: number
  /** 1 for ops that set the state whatever it was (see `Model.overwrites`). */
  readonly overwrites: Uint8Array
  /**
   * For each ok op that is not legal in every state, the ops invoked before its completion that could make it
   * reachable again (`Model.producers`); `null` for the others, or for all when the model gives no such pruning.
   */
  readonly producers: (readonly number[] | null)[] | null
  /** 1 for ok updates nothing observes and every state allows: they can go just before any overwrite (`wgl-search.ts`). */
  readonly absorbable: Uint8Array
}

export function buildSearchProblem<S, I>(model: Model<S, I>, ops: readonly PairedOp[]): SearchProblem<S, I> {
  const n = ops.length
  const kinds = new Uint8Array(n)
  const inputs: I[] = []
  const returns: number[] = []
  ops.forEach((op, k) => {
    try {
      inputs.push(model.compile(modelOpOf(op, model)))
    } catch (error) {
      const where = `op invoked at index ${op.invoke.index} (process ${op.process}${op.key === undefined ? '' : `, key ${JSON.stringify(op.key)}`})`
      throw new HistoryFormatError(`${where}: ${(error as Error).message}`)
    }
    if (op.outcome === 'ok') {
      kinds[k] = model.isRead(op.f) ? OK_READ : OK_UPDATE
      returns.push(k)
    } else kinds[k] = UNKNOWN
  })
  const overwrites = new Uint8Array(n)
  const absorbable = new Uint8Array(n)
  if (model.overwrites !== undefined) inputs.forEach((input, k) => (overwrites[k] = model.overwrites?.(input) ? 1 : 0))
  if (model.overwrites !== undefined && model.unobservedUpdates !== undefined) {
    const unobserved = model.unobservedUpdates(ops.map((op) => modelOpOf(op, model)))
    ops.forEach((_, k) => (absorbable[k] = unobserved[k] === true && kinds[k] === OK_UPDATE ? 1 : 0))
  }
  returns.sort((a, b) => (ops[a] as PairedOp).completePos - (ops[b] as PairedOp).completePos)
  // Merge calls (already in invocation order) with returns (now in completion order).
  const events = new Int32Array(n + returns.length)
  let call = 0
  let ret = 0
  for (let e = 0; e < events.length; e++) {
    const nextCall = call < n ? (ops[call] as PairedOp).invokePos : Infinity
    const nextReturn = ret < returns.length ? (ops[returns[ret] as number] as PairedOp).completePos : Infinity
    events[e] = nextCall < nextReturn ? call++ : n + (returns[ret++] as number)
  }
  let producers: (number[] | null)[] | null = null
  if (model.producers !== undefined && model.reachableFrom !== undefined) {
    producers = model.producers(inputs).map((list, k) => {
      if (list === null || kinds[k] === UNKNOWN) return null
      return list.filter((u) => (ops[u] as PairedOp).invokePos < (ops[k] as PairedOp).completePos)
    })
  }
  return { model, ops, inputs, kinds, events, okCount: returns.length, overwrites, absorbable, producers }
}
