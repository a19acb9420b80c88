import type { PairedOp } from './pair-ops.js'

/** The ops of one key (P-compositionality: a history is linearizable iff every key's sub-history is). */
export interface Partition {
  /** `undefined` for ops without a key: a history without keys is one partition. */
  readonly key: string | undefined
  readonly ops: PairedOp[]
}

/** Splits ops by key, keeping invocation order within a key and first-appearance order across keys. */
export function partitionByKey(ops: readonly PairedOp[]): Partition[] {
  const byKey = new Map<string | undefined, PairedOp[]>()
  for (const op of ops) {
    let list = byKey.get(op.key)
    if (list === undefined) byKey.set(op.key, (list = []))
    list.push(op)
  }
  return [...byKey].map(([key, list]) => ({ key, ops: list }))
}
