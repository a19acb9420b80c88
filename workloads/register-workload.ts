import type { Op } from '../core/history/op.js'
import type { Checker } from '../checkers/checker.js'
import { DivergenceChecker } from '../checkers/divergence-checker.js'
import type { SeededRandom } from '../core/random/seeded-random.js'
import type { ClientConnection } from '../core/cluster/cluster.js'
import { completionForError } from './classify-error.js'
import type { Completion, PlannedOp, Workload } from './workload.js'

const TABLE = 'register'
/** Registers written at once; the window slides so each key sees a bounded number of operations. */
const ACTIVE_KEYS = 3

/**
 * The register workload: rows of key → value. read = SELECT, write = upsert, cas = UPDATE … WHERE value = expected
 * (success by affected rows; no match is a definite `fail`). Keys rotate: `opsPerKey` operations after a key enters the
 * active window it leaves it, which keeps each key's history small enough for the linearizability search.
 *
 * Every write and cas writes a value never written before, and a cas expects the value last written to its key. With
 * small reused values, an unknown (`info`) write of the same value could explain almost any read; unique values make a
 * read of a value that later vanishes provably non-linearizable.
 */
export class RegisterWorkload implements Workload {
  readonly name = 'register'
  readonly tables = [TABLE]
  /** Values are never reused, so every ok write and cas changed its row. */
  commits(ok: Op): boolean {
    return ok.f === 'write' || ok.f === 'cas'
  }
  private issued = 0
  private nextValue = 1
  /** The value this generator last wrote to each key: what a cas most likely finds there. */
  private readonly lastWritten = new Map<string, number>()

  constructor(
    private readonly readFraction: number,
    private readonly opsPerKey: number,
    private readonly linearizability: () => Checker,
  ) {}

  nextOp(random: SeededRandom): PlannedOp {
    const base = Math.floor(this.issued++ / this.opsPerKey)
    const key = `r${base + random.int(0, ACTIVE_KEYS - 1)}`
    if (random.chance(this.readFraction)) return { f: 'read', key, value: null }
    const value = this.nextValue++
    const expected = this.lastWritten.get(key)
    this.lastWritten.set(key, value)
    if (expected === undefined || random.chance(0.5)) return { f: 'write', key, value }
    return { f: 'cas', key, value: [expected, value] }
  }

  /** Every register on a node, as [key, value] pairs sorted by key (compared across nodes). */
  finalRead(): PlannedOp {
    return { f: 'read-all', value: null }
  }

  async invoke(connection: ClientConnection, op: PlannedOp, timeoutNs: number): Promise<Completion> {
    try {
      switch (op.f) {
        case 'read': {
          const result = await connection.execute({ kind: 'select', table: TABLE, key: op.key as string }, timeoutNs)
          return { type: 'ok', value: result.kind === 'row' ? (result.value ?? null) : null }
        }
        case 'write':
          await connection.execute({ kind: 'upsert', table: TABLE, key: op.key as string, value: op.value }, timeoutNs)
          return { type: 'ok', value: op.value }
        case 'cas': {
          const [expected, next] = op.value as [number, number]
          const result = await connection.execute(
            { kind: 'cas', table: TABLE, key: op.key as string, expected, value: next },
            timeoutNs,
          )
          const matched = result.kind === 'written' && result.affectedRows > 0
          return matched ? { type: 'ok', value: op.value } : { type: 'fail', value: op.value, error: 'cas-mismatch' }
        }
        default: {
          const result = await connection.execute({ kind: 'select-all', table: TABLE }, timeoutNs)
          if (result.kind !== 'rows') return { type: 'info', error: `unexpected result ${result.kind}` }
          const pairs = result.keys.map((key, i): [string, unknown] => [key, result.values[i]])
          return { type: 'ok', value: pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) }
        }
      }
    } catch (error) {
      const completion = completionForError(error)
      // Reads change nothing: whatever went wrong, they certainly did not take effect.
      return op.f === 'write' || op.f === 'cas' ? completion : { ...completion, type: 'fail' }
    }
  }

  checkers(): Checker[] {
    return [this.linearizability(), new DivergenceChecker()]
  }
}
