/**
 * A binary min-heap of events by (time, seq), for the benches that generate histories by simulating clients (the
 * linearizability and Elle benches): ties in time go by the order the events were made.
 */
export class TimeOrderedQueue<E extends { time: number; seq: number }> {
  private readonly heap: E[] = []

  get size(): number {
    return this.heap.length
  }

  push(e: E): void {
    const h = this.heap
    h.push(e)
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1
      if (!before(h[i] as E, h[parent] as E)) break
      ;[h[i], h[parent]] = [h[parent] as E, h[i] as E]
      i = parent
    }
  }

  pop(): E {
    const h = this.heap
    const top = h[0] as E
    const last = h.pop() as E
    if (h.length > 0) {
      h[0] = last
      for (let i = 0; ;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l] as E, h[m] as E)) m = l
        if (r < h.length && before(h[r] as E, h[m] as E)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m] as E, h[i] as E]
        i = m
      }
    }
    return top
  }
}

function before(a: { time: number; seq: number }, b: { time: number; seq: number }): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq)
}
