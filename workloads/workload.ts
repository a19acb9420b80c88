import type { Op } from '../core/history/op.js'
import type { Checker } from '../checkers/checker.js'
import type { SeededRandom } from '../core/random/seeded-random.js'
import type { ClientConnection } from '../core/cluster/cluster.js'

/** An operation a client is about to invoke. */
export interface PlannedOp {
  f: string
  key?: string
  value: unknown
  /** The final phase's read of a node's whole state (a workload may read it in one statement). */
  final?: true
}

/** How an invocation ended, in Jepsen's terms. */
export interface Completion {
  type: 'ok' | 'fail' | 'info'
  value?: unknown
  error?: string
}

/** A workload: what clients do, how final state is read, and which checkers judge the history. */
export interface Workload {
  readonly name: string
  /** Tables the workload's statements use (real servers create them before the run). */
  readonly tables: readonly string[]
  /** Whether an operation that ended ok (its completion) committed exactly one transaction that changed rows, through
   * the semi-sync wait. */
  commits(ok: Op): boolean
  /** The next operation for a client (reads vs writes by the configured mix). */
  nextOp(random: SeededRandom): PlannedOp
  invoke(connection: ClientConnection, op: PlannedOp, timeoutNs: number): Promise<Completion>
  /** The operation the final phase runs against every node. */
  finalRead(): PlannedOp
  checkers(): Checker[]
}
