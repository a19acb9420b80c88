/**
 * One history event, as `docs/history-format.md` defines it (a contract other tools read:
 * fields may be added, never change meaning).
 */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info'

/** A client process id, or the nemesis. */
export type ProcessId = number | 'nemesis'

export interface Op {
  /** 0, 1, 2, … in file order. */
  index: number
  /** Integer nanoseconds since the run started (virtual time in the simulator). */
  time: number
  process: ProcessId
  type: OpType
  /** The operation (`add`, `read`, `write`, …) or, for the nemesis, the fault's name. */
  f: string
  key?: string
  value?: unknown
  /** The node that served the operation. */
  node?: string
  /** Why it failed or is unknown. */
  error?: string
  /**
   * Extension (added field): marks the reads of the final phase, taken from every node after all faults are
   * healed. Checkers take a node's final state from these.
   */
  final?: boolean
  /** Extension: the role of `node` when the operation ran (`primary` or `replica`). */
  role?: 'primary' | 'replica'
}

/** An op before the recorder gives it its index and time. */
export type OpDraft = Omit<Op, 'index' | 'time'>

export function isClientOp(op: Op): op is Op & { process: number } {
  return typeof op.process === 'number'
}
