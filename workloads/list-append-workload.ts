import type { Checker } from '../checkers/checker.js'
import { DivergenceChecker } from '../checkers/divergence-checker.js'
import { ElleChecker } from '../checkers/elle/index.js'
import type { Op } from '../core/history/op.js'
import { isAppendingTxn } from '../core/history/txn-appends.js'
import type { ClientConnection } from '../core/cluster/cluster.js'
import type { SeededRandom } from '../core/random/seeded-random.js'
import type { IsolationLevel, Statement } from '../core/sql/statement.js'
import { completionForError } from './classify-error.js'
import type { Completion, PlannedOp, Workload } from './workload.js'

const TABLE = 'lists'
/** Keys written at once: few enough that transactions meet on them, so the dependency graph has edges to find. */
export const ACTIVE_KEYS = 5
/** Micro-operations per transaction, at most (Elle's list-append uses 1 to 4). */
export const MAX_MICRO_OPS = 4

/** A micro-operation as the history holds it: Jepsen's `[f, key, value]`. */
export type MicroOp = ['r', number, number[] | null] | ['append', number, number]

/**
 * Elle's list-append workload: each client operation is one transaction of one to four micro-operations, each a read
 * of a key's whole list or an append of a value never appended before. Every read then reveals the order of the
 * appends to its key, and every element the transaction that appended it, which is what the `elle` checker needs to
 * find cycles of dependencies (docs/history-format.md, "Transactions").
 *
 * A list is one row per key holding a JSON array (the servers' `JSON_ARRAY_APPEND`): an append takes the row's
 * exclusive lock, so appends to one key are serialised in commit order, and a read returns the whole list at once.
 * One row per element would read a list through a range scan, whose gap locks differ between the servers.
 */
export class ListAppendWorkload implements Workload {
  readonly name = 'list-append'
  readonly tables = [TABLE]
  private readonly active: number[] = Array.from({ length: ACTIVE_KEYS }, (_, i) => i)
  private readonly appended = new Map<number, number>()
  private nextKey = ACTIVE_KEYS
  private nextValue = 1

  constructor(
    private readonly readFraction: number,
    /** Appends a key takes before a fresh key replaces it: lists stay bounded, so reads do however long the run. */
    private readonly appendsPerKey: number,
    private readonly isolation: IsolationLevel,
  ) {}

  /** A transaction that appended commits through the semi-sync wait; a read-only one commits nothing. */
  commits(ok: Op): boolean {
    return isAppendingTxn(ok)
  }

  nextOp(random: SeededRandom): PlannedOp {
    const count = random.int(1, MAX_MICRO_OPS)
    const mops: MicroOp[] = []
    for (let i = 0; i < count; i++) {
      const slot = random.int(0, ACTIVE_KEYS - 1)
      const key = this.active[slot] as number
      if (random.chance(this.readFraction)) {
        mops.push(['r', key, null])
        continue
      }
      mops.push(['append', key, this.nextValue++])
      const appends = (this.appended.get(key) ?? 0) + 1
      this.appended.set(key, appends)
      if (appends >= this.appendsPerKey) {
        this.appended.delete(key)
        this.active[slot] = this.nextKey++
      }
    }
    return { f: 'txn', value: mops }
  }

  /** Every key the run has used, read in one statement from each node. */
  finalRead(): PlannedOp {
    const mops: MicroOp[] = Array.from({ length: this.nextKey }, (_, key): MicroOp => ['r', key, null])
    return { f: 'txn', value: mops, final: true }
  }

  async invoke(connection: ClientConnection, op: PlannedOp, timeoutNs: number): Promise<Completion> {
    const mops = op.value as MicroOp[]
    if (op.final === true) return this.readAll(connection, mops, timeoutNs)
    const done: MicroOp[] = []
    try {
      await connection.execute({ kind: 'begin', isolation: this.isolation }, timeoutNs)
      for (const mop of mops) done.push(await this.run(connection, mop, timeoutNs))
    } catch (error) {
      // COMMIT was never sent, so the transaction did not commit: whatever went wrong, it is a definite failure. A
      // statement error can leave it open (a lock wait timeout ends the statement only): roll it back, best effort; a
      // broken connection rolls it back on the server anyway.
      await connection.execute({ kind: 'rollback' }, timeoutNs).catch(() => {})
      return { ...completionForError(error), type: 'fail', value: mops }
    }
    try {
      await connection.execute({ kind: 'commit' }, timeoutNs)
    } catch (error) {
      // The commit may have happened (a lost connection, a killed ack wait): unknown unless the error says otherwise.
      return { ...completionForError(error), value: mops }
    }
    return { type: 'ok', value: done }
  }

  checkers(): Checker[] {
    // The history is judged at the level the transactions ran at; the nodes' final lists must also agree.
    return [new ElleChecker({ isolation: this.isolation }), new DivergenceChecker()]
  }

  private async run(connection: ClientConnection, mop: MicroOp, timeoutNs: number): Promise<MicroOp> {
    const key = String(mop[1])
    if (mop[0] === 'append') {
      await connection.execute({ kind: 'append', table: TABLE, key, value: mop[2] }, timeoutNs)
      return mop
    }
    const result = await connection.execute({ kind: 'select', table: TABLE, key }, timeoutNs)
    return ['r', mop[1], result.kind === 'row' ? listOf(result.value) : null]
  }

  private async readAll(connection: ClientConnection, mops: MicroOp[], timeoutNs: number): Promise<Completion> {
    const statement: Statement = { kind: 'select-all', table: TABLE }
    try {
      const result = await connection.execute(statement, timeoutNs)
      if (result.kind !== 'rows') return { type: 'fail', error: `unexpected result ${result.kind}` }
      const lists = new Map(result.keys.map((key, i) => [key, listOf(result.values[i])]))
      return { type: 'ok', value: mops.map(([, key]): MicroOp => ['r', key, lists.get(String(key)) ?? null]) }
    } catch (error) {
      return { ...completionForError(error), type: 'fail' }
    }
  }
}

/** A stored list as the history shows it: the array, or null for a key never written. */
function listOf(value: unknown): number[] | null {
  if (value === null || value === undefined) return null
  if (!Array.isArray(value)) throw new Error(`a list row holds ${JSON.stringify(value)}, not an array`)
  return value as number[]
}
