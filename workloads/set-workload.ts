import { DivergenceChecker } from '../checkers/divergence-checker.js'
import { SetChecker } from '../checkers/set-checker.js'
import type { Checker } from '../checkers/checker.js'
import type { SeededRandom } from '../engine/sim/seeded-random.js'
import type { ClientConnection } from '../harness/cluster/cluster.js'
import { completionForError } from './classify-error.js'
import type { Completion, PlannedOp, Workload } from './workload.js'

const TABLE = 'set'

/**
 * The set workload: clients add unique integers (one INSERT each) and read the whole set; the final phase reads it
 * from every node. A lost acknowledged add, a read of an element that later vanished, or nodes that disagree are
 * what the checkers look for.
 */
export class SetWorkload implements Workload {
  readonly name = 'set'
  readonly tables = [TABLE]
  private nextElement = 0

  constructor(private readonly readFraction: number) {}

  nextOp(random: SeededRandom): PlannedOp {
    if (random.chance(this.readFraction)) return { f: 'read', value: null }
    return { f: 'add', value: this.nextElement++ }
  }

  finalRead(): PlannedOp {
    return { f: 'read', value: null }
  }

  async invoke(connection: ClientConnection, op: PlannedOp, timeoutNs: number): Promise<Completion> {
    try {
      if (op.f === 'add') {
        const element = op.value as number
        await connection.execute({ kind: 'insert', table: TABLE, key: String(element), value: element }, timeoutNs)
        return { type: 'ok', value: element }
      }
      const result = await connection.execute({ kind: 'select-all', table: TABLE }, timeoutNs)
      if (result.kind !== 'rows') return { type: 'info', error: `unexpected result ${result.kind}` }
      const elements = result.rows.map((row) => row.value as number).sort((a, b) => a - b)
      return { type: 'ok', value: elements }
    } catch (error) {
      const completion = completionForError(error)
      // A read changes nothing: whatever went wrong, it certainly did not take effect.
      return op.f === 'read' ? { ...completion, type: 'fail' } : completion
    }
  }

  checkers(): Checker[] {
    return [new SetChecker(), new DivergenceChecker()]
  }
}
