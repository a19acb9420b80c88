/** A scheduled simulator event. `cancelled` events stay in the heap and are skipped when popped (lazy deletion). */
export interface SimEvent {
  readonly time: number
  readonly seq: number
  readonly run: () => void
  cancelled: boolean
}

/** What the queue orders: a time, and a sequence number unique among the queued items. */
export interface Timed {
  readonly time: number
  readonly seq: number
}

/**
 * A binary min-heap of events keyed by (time, seq). The sequence number breaks ties in scheduling order, which is
 * what makes the simulator deterministic: no two events ever compare equal. (The benches that simulate clients to
 * generate histories order their own events with it too.)
 */
export class EventQueue<E extends Timed = SimEvent> {
  private readonly heap: E[] = []

  get size(): number {
    return this.heap.length
  }

  push(event: E): void {
    const heap = this.heap
    heap.push(event)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = heap[parent] as E
      if (!before(event, p)) break
      heap[i] = p
      i = parent
    }
    heap[i] = event
  }

  peek(): E | undefined {
    return this.heap[0]
  }

  pop(): E | undefined {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top
    let i = 0
    const n = heap.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      let child = l
      if (r < n && before(heap[r] as E, heap[l] as E)) child = r
      const c = heap[child] as E
      if (!before(c, last)) break
      heap[i] = c
      i = child
    }
    heap[i] = last
    return top
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq)
}
