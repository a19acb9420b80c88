import { OK_READ, OK_UPDATE, UNKNOWN } from './search-problem.js'
import type { OpKind } from './search-problem.js'

const LISTS = 3

/**
 * Lowe's doubly linked list of call and return entries in history order, split three ways so that the search can try
 * candidates by kind without walking past the others: ok reads, ok updates and unknown-outcome ops each have a list of
 * their calls, and every list holds all the ok returns (a list's candidates are the calls before its first return).
 *
 * Entries: `k` is the call of op k, `n + k` its return, `2n + list` a list's head. Lifting an op unlinks its entries;
 * unlifting relinks them (dancing links: each entry remembers its neighbours, so undo in reverse order is O(1)).
 */
export class CandidateLists {
  private readonly next: Int32Array[]
  private readonly prev: Int32Array[]

  constructor(
    private readonly n: number,
    private readonly kinds: Uint8Array,
    events: Int32Array,
  ) {
    const size = 2 * n + LISTS
    this.next = Array.from({ length: LISTS }, () => new Int32Array(size).fill(-1))
    this.prev = Array.from({ length: LISTS }, () => new Int32Array(size).fill(-1))
    const tails = [0, 1, 2].map((list) => this.head(list))
    const append = (list: number, entry: number): void => {
      const tail = tails[list] as number
      ;(this.next[list] as Int32Array)[tail] = entry
      ;(this.prev[list] as Int32Array)[entry] = tail
      tails[list] = entry
    }
    for (const entry of events) {
      if (entry < n) append(kinds[entry] as number, entry)
      else for (let list = 0; list < LISTS; list++) append(list, entry)
    }
  }

  head(list: number): number {
    return 2 * this.n + list
  }

  /** The entry after `entry` in `list`: a call (< n), a return (≥ n), or -1 at the end. */
  after(list: number, entry: number): number {
    return (this.next[list] as Int32Array)[entry] as number
  }

  lift(k: number): void {
    const kind = this.kinds[k] as OpKind
    this.unlink(kind, k)
    if (kind === UNKNOWN) return
    const ret = this.n + k
    this.unlink(OK_READ, ret)
    this.unlink(OK_UPDATE, ret)
    this.unlink(UNKNOWN, ret)
  }

  /** Undoes `lift(k)`; valid only in reverse order of lifting. */
  unlift(k: number): void {
    const kind = this.kinds[k] as OpKind
    if (kind !== UNKNOWN) {
      const ret = this.n + k
      this.relink(UNKNOWN, ret)
      this.relink(OK_UPDATE, ret)
      this.relink(OK_READ, ret)
    }
    this.relink(kind, k)
  }

  private unlink(list: number, entry: number): void {
    const next = this.next[list] as Int32Array
    const prev = this.prev[list] as Int32Array
    const before = prev[entry] as number
    const after = next[entry] as number
    next[before] = after
    if (after !== -1) prev[after] = before
  }

  private relink(list: number, entry: number): void {
    const next = this.next[list] as Int32Array
    const prev = this.prev[list] as Int32Array
    next[prev[entry] as number] = entry
    const after = next[entry] as number
    if (after !== -1) prev[after] = entry
  }
}
