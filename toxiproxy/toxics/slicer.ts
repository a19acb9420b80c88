import { END_OF_STREAM } from '../stream-chunk.js'
import { INTERRUPTED, UNBUFFERED_QUEUE, type ToxicKind, type ToxicRandom, type ToxicStubPort } from './toxic-kind.js'

export interface SliceSettings {
  averageSize: number
  sizeVariation: number
}

/**
 * Toxiproxy's recursive split, as [start, end) pairs: a span stays whole once `length - average <= variation`,
 * otherwise it is cut near its middle (± a random amount below `variation`) and both halves are split again. Two guards
 * where Go would crash: a cut always leaves both halves non-empty (Go slices out of range for large variations), and a
 * one-byte span is never cut (Go recurses forever for average 0).
 */
export function sliceBounds(length: number, settings: SliceSettings, random: ToxicRandom): number[] {
  const { averageSize, sizeVariation } = settings
  const out: number[] = []
  // An explicit stack (right half pushed first) keeps the output in order without deep recursion.
  const pending: Array<[number, number]> = [[0, length]]
  while (pending.length > 0) {
    const [start, end] = pending.pop() as [number, number]
    const size = end - start
    if (size - averageSize <= sizeVariation || size <= 1) {
      out.push(start, end)
      continue
    }
    let mid = start + Math.floor(size / 2)
    if (sizeVariation > 0) mid += random.int(0, 2 * sizeVariation - 1) - sizeVariation
    mid = Math.min(end - 1, Math.max(start + 1, mid))
    pending.push([mid, end], [start, mid])
  }
  return out
}

/**
 * Cuts each chunk into pieces of about `average_size` ± `size_variation` bytes, sent `delay` µs apart. Timers only have
 * millisecond resolution, so sub-millisecond delays are paced against a deadline: pieces go out in bursts that keep the
 * average spacing.
 */
export const slicerToxic: ToxicKind = {
  type: 'slicer',
  goStruct: 'SlicerToxic',
  attributes: [
    { name: 'average_size', goType: 'int' },
    { name: 'size_variation', goType: 'int' },
    { name: 'delay', goType: 'int' },
  ],
  queueLimit: UNBUFFERED_QUEUE,
  closesOnRemove: false,
  async pipe(stub: ToxicStubPort): Promise<void> {
    const { average_size: averageSize = 0, size_variation: sizeVariation = 0, delay = 0 } = stub.attributes
    const delayMs = Math.max(0, delay) / 1000
    // The pacing deadline carries across chunks, so one-piece chunks still add up to their delays.
    let due = performance.now()
    for (;;) {
      const item = stub.readNow() ?? (await stub.read())
      if (item === INTERRUPTED) return
      if (item === END_OF_STREAM) return stub.close()
      if (typeof item === 'symbol') continue
      const bounds = sliceBounds(item.data.length, { averageSize, sizeVariation }, stub.random)
      due = Math.max(due, performance.now())
      for (let i = 1; i < bounds.length; i += 2) {
        const end = bounds[i] as number
        stub.emit({ data: item.data.subarray(bounds[i - 1] as number, end), timestamp: item.timestamp })
        due += delayMs
        // Sleep only once the debt reaches a timer tick; shorter gaps are paid in a later sleep.
        if (delayMs > 0 && due - performance.now() >= 1 && !(await stub.sleepUntil(due))) {
          if (end < item.data.length) stub.emit({ data: item.data.subarray(end), timestamp: item.timestamp })
          return
        }
      }
    }
  },
}
