import { END_OF_STREAM } from '../stream-chunk.js'
import { INTERRUPTED, type ToxicKind, type ToxicStubPort } from './toxic-kind.js'

/**
 * The widest jitter drawn as given: the draw spans 2 * jitter, and the random stream is exact (and terminates) only
 * below 2^53. A wider jitter, 142,000 years or more, is drawn as this one; Go panics from 2^62 on, where 2 * jitter
 * overflows int64.
 */
const MAX_JITTER_MS = 2 ** 52

/**
 * Delays every chunk by `latency` ± `jitter` ms, measured from when the chunk was read, so stacked latencies add up,
 * chunks are never reordered, and a long delay does not cut throughput (up to the queue limit is in flight). The
 * chunk's timestamp advances by the time slept, as in Toxiproxy, so a latency toxic after this one starts from there.
 */
export const latencyToxic: ToxicKind = {
  type: 'latency',
  goStruct: 'LatencyToxic',
  attributes: [
    { name: 'latency', goType: 'int64' },
    { name: 'jitter', goType: 'int64' },
  ],
  // Go buffers 1024 chunks; the byte cap bounds memory when chunks are large.
  queueLimit: { bytes: 32 * 1024 * 1024, chunks: 1024 },
  closesOnRemove: false,
  async pipe(stub: ToxicStubPort): Promise<void> {
    const { latency = 0 } = stub.attributes
    const jitter = Math.min(stub.attributes.jitter ?? 0, MAX_JITTER_MS)
    for (;;) {
      const item = stub.readNow() ?? (await stub.read())
      if (item === INTERRUPTED) return
      if (item === END_OF_STREAM) return stub.close()
      if (typeof item === 'symbol') continue
      // Uniform in [-jitter, +jitter), like Go's rand.Int63n(2*jitter) - jitter.
      const delay = latency + (jitter > 0 ? stub.random.int(0, 2 * jitter - 1) - jitter : 0)
      const sleep = delay - (performance.now() - item.timestamp)
      if (sleep > 0 && !(await stub.sleepUntil(item.timestamp + delay))) {
        // Interrupted: flush the held chunk rather than drop it; it skips the rest of its delay.
        stub.emit(item)
        return
      }
      item.timestamp += sleep
      stub.emit(item)
    }
  },
}
