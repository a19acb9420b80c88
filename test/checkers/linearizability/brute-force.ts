import type { Op } from '../../../core/history/op.js'
import type { ModelName } from '../../../checkers/linearizability/index.js'
import { REFERENCE_MODELS } from './reference-models.js'

interface BruteOp {
  f: string
  key: string | undefined
  /** What the model sees: a read's result, an update's argument. */
  value: unknown
  required: boolean
  invokePos: number
  /** Infinity when the op may take effect at any time after its invocation (info, or no completion). */
  completePos: number
}

/** Above this many ops the enumeration is too slow to be a reference. */
export const BRUTE_FORCE_MAX_OPS = 9

/**
 * The definition, enumerated: is there an order of the ops, consistent with real time (an op that completed before
 * another was invoked goes first), that includes every ok op and any subset of the info ops, and that the sequential
 * model accepts, key by key in one shared state map? No memo, no pruning, no partitioning.
 */
export function bruteForceLinearizable(history: readonly Op[], modelName: ModelName): boolean {
  return enumerate(history, modelName, false)
}

/**
 * The same enumeration, remembering the (placed ops, states) pairs already explored: still no pruning, partitioning
 * or heuristics, but fast enough for a few dozen ops at low concurrency.
 */
export function memoisedReferenceLinearizable(history: readonly Op[], modelName: ModelName): boolean {
  return enumerate(history, modelName, true)
}

function enumerate(history: readonly Op[], modelName: ModelName, memoise: boolean): boolean {
  const model = REFERENCE_MODELS[modelName]
  const ops = collect(history, model.isRead)
  if (!memoise && ops.length > BRUTE_FORCE_MAX_OPS) throw new Error(`brute force: ${ops.length} ops is too many`)
  const placed = new Array<boolean>(ops.length).fill(false)
  const required = ops.filter((op) => op.required).length
  const explored = new Set<string>()

  const search = (states: Map<string | undefined, unknown>, placedRequired: number): boolean => {
    if (placedRequired === required) return true
    if (memoise) {
      const key = `${placed.map((p) => (p ? 1 : 0)).join('')}|${JSON.stringify([...states].sort())}`
      if (explored.has(key)) return false
      explored.add(key)
    }
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue
      const op = ops[i] as BruteOp
      // Every op that completed before this one was invoked must already be placed.
      const blocked = ops.some((other, j) => !placed[j] && j !== i && other.completePos < op.invokePos)
      if (blocked) continue
      const state = states.has(op.key) ? states.get(op.key) : model.init()
      const result = model.apply(state, op.f, op.value)
      if (!result.ok) continue
      placed[i] = true
      const next = new Map(states).set(op.key, result.state)
      const found = search(next, placedRequired + (op.required ? 1 : 0))
      placed[i] = false
      if (found) return true
    }
    return false
  }
  return search(new Map(), 0)
}

function collect(history: readonly Op[], isRead: (f: string) => boolean): BruteOp[] {
  const ops: BruteOp[] = []
  const open = new Map<number, { op: Op; pos: number }>()
  const finish = (invoke: Op, pos: number, completion: Op | null, completePos: number): void => {
    const type = completion?.type ?? 'info'
    if (type === 'fail') return
    if (type === 'info' && isRead(invoke.f)) return
    ops.push({
      f: invoke.f,
      key: invoke.key,
      value: isRead(invoke.f) ? completion?.value : invoke.value,
      required: type === 'ok',
      invokePos: pos,
      completePos: type === 'ok' ? completePos : Infinity,
    })
  }
  history.forEach((op, pos) => {
    if (typeof op.process !== 'number') return
    if (op.type === 'invoke') open.set(op.process, { op, pos })
    else {
      const invoke = open.get(op.process)
      if (invoke === undefined) throw new Error(`brute force: completion without invocation at ${op.index}`)
      open.delete(op.process)
      finish(invoke.op, invoke.pos, op, pos)
    }
  })
  for (const { op, pos } of open.values()) finish(op, pos, null, Infinity)
  return ops
}
