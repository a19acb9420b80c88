import type { Op } from '../../core/history/op.js'
import { HistoryFormatError } from '../../core/history/history-format-error.js'

/** How an operation ended. `unknown` covers both an `info` completion and no completion at all. */
export type Outcome = 'ok' | 'fail' | 'unknown'

/** A client operation: its invocation and completion, with their positions in history order. */
export interface PairedOp {
  readonly process: number
  readonly f: string
  readonly key: string | undefined
  readonly invoke: Op
  readonly completion: Op | null
  readonly outcome: Outcome
  /** Positions in history order (which is real-time order): the search's notion of "before". */
  readonly invokePos: number
  /** -1 when the op never completed. */
  readonly completePos: number
}

/**
 * Pairs each client invocation with its process's next completion, in history order; nemesis ops are skipped. The
 * result is in invocation order. Throws `HistoryFormatError` on what the contract forbids: a completion with nothing in
 * flight, two invocations in flight on one process, or a completion whose `f` or `key` differs from its invocation.
 */
export function pairClientOps(history: readonly Op[]): PairedOp[] {
  const ordered = inIndexOrder(history)
  const paired: PairedOp[] = []
  const inFlight = new Map<number, { invoke: Op; pos: number; slot: number }>()
  for (let pos = 0; pos < ordered.length; pos++) {
    const op = ordered[pos] as Op
    if (typeof op.process !== 'number') continue
    if (op.type === 'invoke') {
      const open = inFlight.get(op.process)
      if (open !== undefined) {
        throw new HistoryFormatError(
          `process ${op.process} invoked ${op.f} at index ${op.index} while its ${open.invoke.f} from index ` +
            `${open.invoke.index} was still in flight`,
        )
      }
      inFlight.set(op.process, { invoke: op, pos, slot: paired.length })
      paired.push(pairOf(op, null, pos, -1))
      continue
    }
    const open = inFlight.get(op.process)
    if (open === undefined) {
      throw new HistoryFormatError(
        `${op.type} of ${op.f} at index ${op.index} (process ${op.process}) has no invocation`,
      )
    }
    if (open.invoke.f !== op.f || open.invoke.key !== op.key) {
      throw new HistoryFormatError(
        `completion at index ${op.index} (${op.f}${keyText(op.key)}) does not match its invocation at index ` +
          `${open.invoke.index} (${open.invoke.f}${keyText(open.invoke.key)})`,
      )
    }
    inFlight.delete(op.process)
    paired[open.slot] = pairOf(open.invoke, op, open.pos, pos)
  }
  return paired
}

function pairOf(invoke: Op, completion: Op | null, invokePos: number, completePos: number): PairedOp {
  const outcome: Outcome = completion?.type === 'ok' ? 'ok' : completion?.type === 'fail' ? 'fail' : 'unknown'
  return {
    process: invoke.process as number,
    f: invoke.f,
    key: invoke.key,
    invoke,
    completion,
    outcome,
    invokePos,
    completePos,
  }
}

/** The contract's file order is index order; a caller that shuffled the array gets it back sorted. */
function inIndexOrder(history: readonly Op[]): readonly Op[] {
  for (let i = 1; i < history.length; i++) {
    if ((history[i] as Op).index < (history[i - 1] as Op).index) return [...history].sort((a, b) => a.index - b.index)
  }
  return history
}

function keyText(key: string | undefined): string {
  return key === undefined ? '' : ` on key ${JSON.stringify(key)}`
}
