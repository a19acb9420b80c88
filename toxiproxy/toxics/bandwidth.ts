import { END_OF_STREAM } from '../stream-chunk.js'
import { INTERRUPTED, UNBUFFERED_QUEUE, type ToxicKind, type ToxicStubPort } from './toxic-kind.js'

/** Toxiproxy sends at most `rate * 100` bytes per 100 ms slice. */
const SLICE_MS = 100

/**
 * Limits a direction to `rate` KB/s (KB = 1000 bytes). Each chunk adds len/rate ms of debt; a chunk larger than a
 * 100 ms slice is sent in slices 100 ms apart; the rest is sent once the debt is slept off, and oversleeping is carried
 * into the next chunk, as in Toxiproxy. Back-pressure reaches the sender through the link's queue limit.
 *
 * `rate` 0 (or less) holds the data until the toxic is updated or removed, which then flushes it: Toxiproxy does the
 * same for 0 (it loops sending empty chunks) and crashes for a negative rate, so this keeps the useful "stall" fault.
 */
export const bandwidthToxic: ToxicKind = {
  type: 'bandwidth',
  goStruct: 'BandwidthToxic',
  attributes: [{ name: 'rate', goType: 'int64' }],
  queueLimit: UNBUFFERED_QUEUE,
  closesOnRemove: false,
  async pipe(stub: ToxicStubPort): Promise<void> {
    const { rate = 0 } = stub.attributes
    let debtMs = 0
    for (;;) {
      const item = stub.readNow() ?? (await stub.read())
      if (item === INTERRUPTED) return
      if (item === END_OF_STREAM) return stub.close()
      if (typeof item === 'symbol') continue
      if (rate <= 0) {
        await stub.waitForInterrupt()
        stub.emit(item)
        return
      }
      debtMs += item.data.length / rate
      const sliceBytes = rate * SLICE_MS
      let data = item.data
      while (data.length > sliceBytes) {
        if (!(await stub.sleep(SLICE_MS))) {
          stub.emit({ data, timestamp: item.timestamp })
          return
        }
        stub.emit({ data: data.subarray(0, sliceBytes), timestamp: item.timestamp })
        data = data.subarray(sliceBytes)
        debtMs -= SLICE_MS
      }
      const started = performance.now()
      if (debtMs > 0 && !(await stub.sleep(debtMs))) {
        stub.emit({ data, timestamp: item.timestamp })
        return
      }
      debtMs -= performance.now() - started
      stub.emit({ data, timestamp: item.timestamp })
    }
  },
}
