/** A scheduled simulator event. `cancelled` events stay in the heap and are skipped when popped (lazy deletion). */
export interface SimEvent {
  readonly time: number
  readonly seq: number
  readonly run: () => void
  cancelled: boolean
}

/**
 * A binary min-heap of events keyed by (time, seq). The sequence number breaks ties in scheduling order, which is
 * what makes the simulator deterministic: no two events ever compare equal.
 */
export class EventQueue {
  private readonly heap: SimEvent[] = []

  get size(): number {
    return this.heap.length
  }

  push(event: SimEvent): void {
    const heap = this.heap
    heap.push(event)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = heap[parent] as SimEvent
      if (!before(event, p)) break
      heap[i] = p
      i = parent
    }
    heap[i] = event
  }

  peek(): SimEvent | undefined {
    return this.heap[0]
  }

  pop(): SimEvent | undefined {
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
      if (r < n && before(heap[r] as SimEvent, heap[l] as SimEvent)) child = r
      const c = heap[child] as SimEvent
      if (!before(c, last)) break
      heap[i] = c
      i = child
    }
    heap[i] = last
    return top
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq)
}
