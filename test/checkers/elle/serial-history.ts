import fc from 'fast-check'
import type { Op } from '../../../core/history/op.js'
import { TxnHistory } from './txn-history.js'
import type { Mop } from './txn-history.js'

export const KEYS = ['x', 'y', 7] as const
type GenKey = (typeof KEYS)[number]

type Outcome = 'ok' | 'fail' | 'info' | 'pending'

/** One step of a client slot: invoke a transaction, reach its commit point, or complete it (see `runSerial`). */
export interface Step {
  slot: number
  mops: Array<{ f: 'r' | 'append'; key: GenKey }>
  outcome: Outcome
  /** Whether an `info` or pending transaction takes effect at its commit point. */
  applied: boolean
}

export const stepArb: fc.Arbitrary<Step> = fc.record({
  slot: fc.nat({ max: 3 }),
  mops: fc.array(fc.record({ f: fc.constantFrom('r' as const, 'append' as const), key: fc.constantFrom(...KEYS) }), {
    minLength: 1,
    maxLength: 4,
  }),
  outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'ok', 'fail', 'info', 'pending'),
  applied: fc.boolean(),
})

interface Open {
  process: number
  step: Step
  /** As invoked (appends carry their values). */
  mops: Mop[]
  /** With the reads filled in, once the transaction reached its commit point. */
  done: Mop[] | null
}

export interface SerialHistory {
  ops: Op[]
  /** Client transactions that completed ok. */
  okTxns: number
}

/**
 * A strictly serializable run of list-append transactions. Each client slot goes invoke → commit point → completion,
 * one step at a time, slots interleaving as the steps pick them. At its commit point a transaction runs alone
 * against the state (that moment is its place in the serial order, inside its interval, so real time agrees), unless
 * it fails (never runs) or is uncertain and `applied` is false. An `info` retires its process; a `pending` one never
 * completes. The final phase reads every key on the primary, and on a replica that may lag `replicaLag` transactions.
 */
export function runSerial(steps: readonly Step[], replicaLag = 0): SerialHistory {
  const h = new TxnHistory()
  const state = new Map<GenKey, number[]>()
  // The state after each commit: a lagging replica shows an earlier one (it applies whole transactions).
  const snapshots: Array<Map<GenKey, number[]>> = [new Map()]
  const open = new Map<number, Open>()
  const processOf = [0, 1, 2, 3]
  let nextProcess = 4
  let nextValue = 1
  let okTxns = 0
  for (const step of steps) {
    const slot = step.slot
    const current = open.get(slot)
    if (current === undefined) {
      const mops: Mop[] = step.mops.map(({ f, key }) => (f === 'r' ? ['r', key, null] : ['append', key, nextValue++]))
      const process = processOf[slot] as number
      h.invoke(process, mops)
      open.set(slot, { process, step, mops, done: null })
    } else if (current.done === null) {
      const { outcome, applied } = current.step
      const runs = outcome === 'ok' || (outcome !== 'fail' && applied)
      current.done = runs ? execute(current.mops, state) : current.mops
      if (runs) snapshots.push(new Map(state))
    } else {
      open.delete(slot)
      const { outcome } = current.step
      // A pending transaction never completes; its process is left with it.
      if (outcome !== 'pending') h.complete(current.process, outcome, {}, current.done)
      if (outcome === 'ok') okTxns++
      if (outcome === 'info' || outcome === 'pending') processOf[slot] = nextProcess++
    }
  }
  const finalMops = (seen: Map<GenKey, number[]>): Mop[] => KEYS.map((key): Mop => ['r', key, seen.get(key) ?? null])
  h.finalRead(nextProcess++, 'n1', 'primary', finalMops(state))
  h.finalRead(nextProcess++, 'n2', 'replica', finalMops(snapshots[Math.max(0, snapshots.length - 1 - replicaLag)]!))
  return { ops: h.ops(), okTxns }
}

/** Runs micro-ops alone against the state; returns them with the reads filled in. */
export function execute(mops: readonly Mop[], state: Map<GenKey, number[]>): Mop[] {
  return mops.map((mop) => {
    const key = mop[1] as GenKey
    if (mop[0] === 'append') {
      state.set(key, [...(state.get(key) ?? []), mop[2]])
      return mop
    }
    const list = state.get(key)
    return ['r', key, list === undefined ? null : [...list]]
  })
}
