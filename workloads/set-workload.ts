import type { Op } from '../core/history/op.js'
import { DivergenceChecker } from '../checkers/divergence-checker.js'
import { SetChecker } from '../checkers/set-checker.js'
import type { Checker } from '../checkers/checker.js'
import type { SeededRandom } from '../core/random/seeded-random.js'
import type { ClientConnection } from '../core/cluster/cluster.js'
import { completionForError } from './classify-error.js'
import type { Completion, PlannedOp, Workload } from './workload.js'

const TABLE = 'set'
/** Row keys are the element, zero-padded, so that a key prefix is a range of elements. */
const KEY_WIDTH = 12
/** Elements per history key: reads return one key's elements, so a read's size stays bounded however long the run. */
export const ELEMENTS_PER_KEY = 1000
const KEY_DIGITS = Math.log10(ELEMENTS_PER_KEY)

function rowKey(element: number): string {
  return String(element).padStart(KEY_WIDTH, '0')
}

/** The history key of an element: which group of `ELEMENTS_PER_KEY` it belongs to. */
export function setKeyOf(element: number): string {
  return String(Math.floor(element / ELEMENTS_PER_KEY))
}

/**
 * The set workload: clients add unique integers (one INSERT each) and read the set; the final phase reads the whole
 * set from every node. Elements are grouped under history keys of 1000 (Jepsen's independent keys): a read during the
 * run returns the group being written now, so histories grow linearly with the run. A lost acknowledged add, a read
 * of an element that later vanished, or nodes that disagree are what the checkers look for.
 */
export class SetWorkload implements Workload {
  readonly name = 'set'
  readonly tables = [TABLE]
  commits(ok: Op): boolean {
    return ok.f === 'add'
  }
  private nextElement = 0

  constructor(private readonly readFraction: number) {}

  nextOp(random: SeededRandom): PlannedOp {
    if (random.chance(this.readFraction))
      return { f: 'read', key: setKeyOf(Math.max(0, this.nextElement - 1)), value: null }
    const element = this.nextElement++
    return { f: 'add', key: setKeyOf(element), value: element }
  }

  finalRead(): PlannedOp {
    return { f: 'read', value: null }
  }

  async invoke(connection: ClientConnection, op: PlannedOp, timeoutNs: number): Promise<Completion> {
    try {
      if (op.f === 'add') {
        const element = op.value as number
        await connection.execute({ kind: 'insert', table: TABLE, key: rowKey(element), value: element }, timeoutNs)
        return { type: 'ok', value: element }
      }
      const statement =
        op.key === undefined
          ? ({ kind: 'select-all', table: TABLE } as const)
          : ({
              kind: 'select-prefix',
              table: TABLE,
              prefix: rowKey(Number(op.key) * ELEMENTS_PER_KEY).slice(0, KEY_WIDTH - KEY_DIGITS),
            } as const)
      const result = await connection.execute(statement, timeoutNs)
      if (result.kind !== 'rows') return { type: 'info', error: `unexpected result ${result.kind}` }
      return { type: 'ok', value: ascending(result.values as number[]) }
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

/**
 * The elements in ascending order, sorted in place. A bucket's rows come back in commit order, which differs from
 * element order only where concurrent inserts committed out of turn: a few elements a short way out of place. An
 * insertion sort does that in one pass plus the few moves, where `sort` with a comparator paid for a full sort of up
 * to 1000 elements on most reads; a read far out of order (more moves than a few per element) falls back to `sort`.
 */
export function ascending(elements: number[]): number[] {
  const moveBudget = 8 * elements.length
  let moves = 0
  for (let i = 1; i < elements.length; i++) {
    const element = elements[i] as number
    let j = i - 1
    if ((elements[j] as number) <= element) continue
    while (j >= 0 && (elements[j] as number) > element) {
      elements[j + 1] = elements[j] as number
      j--
    }
    elements[j + 1] = element
    moves += i - 1 - j
    if (moves > moveBudget) return elements.sort((a, b) => a - b)
  }
  return elements
}
