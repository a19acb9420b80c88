import type { Model, ModelOp } from './model.js'
import type { PairedOp } from './pair-ops.js'

/** One key's ops after Jepsen's reading of outcomes, and what was left out and why. */
export interface SelectedOps {
  /** The ops the search must consider, in invocation order: every `ok` op and the unknown ones that may matter. */
  readonly kept: PairedOp[]
  /** `fail`: certainly never took effect. */
  readonly failed: number
  /** Reads that ended unknown: their value is unknown, so they constrain nothing. */
  readonly unknownReads: number
  /** Unknown-outcome updates shown not to matter (invoked after every ok op completed, or the model's pruning). */
  readonly prunedUnknowns: number
}

/** What the model sees of an op: a read's result, or an update's argument (the invocation's value). */
export function modelOpOf(op: PairedOp, model: Pick<Model, 'isRead'>): ModelOp {
  if (model.isRead(op.f)) return { f: op.f, value: op.completion?.value }
  return { f: op.f, value: op.invoke.value !== undefined ? op.invoke.value : op.completion?.value }
}

/**
 * Applies the meaning of outcomes: `ok` ops must be linearized; `fail` ops are dropped; unknown ops may be linearized
 * anywhere after their invocation, or not at all. An unknown op invoked after the last ok completion can always be
 * placed after everything, so it is dropped too, as is whatever the model proves irrelevant.
 */
export function selectOps(ops: readonly PairedOp[], model: Model): SelectedOps {
  let failed = 0
  let unknownReads = 0
  let lastOkCompletion = -1
  const oks: PairedOp[] = []
  const unknowns: PairedOp[] = []
  for (const op of ops) {
    if (op.outcome === 'fail') failed++
    else if (op.outcome === 'ok') {
      oks.push(op)
      if (op.completePos > lastOkCompletion) lastOkCompletion = op.completePos
    } else if (model.isRead(op.f)) unknownReads++
    else unknowns.push(op)
  }
  let candidates = unknowns.filter((op) => op.invokePos < lastOkCompletion)
  if (model.droppableUnknowns !== undefined && candidates.length > 0) {
    const droppable = model.droppableUnknowns(
      candidates.map((op) => modelOpOf(op, model)),
      oks.map((op) => modelOpOf(op, model)),
    )
    candidates = candidates.filter((_, i) => droppable[i] !== true)
  }
  const keptUnknowns = new Set(candidates)
  return {
    kept: ops.filter((op) => op.outcome === 'ok' || keptUnknowns.has(op)),
    failed,
    unknownReads,
    prunedUnknowns: unknowns.length - candidates.length,
  }
}
