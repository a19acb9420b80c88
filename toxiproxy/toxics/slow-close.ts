import { END_OF_STREAM } from '../stream-chunk.js'
import { INTERRUPTED, UNBUFFERED_QUEUE, type ToxicKind, type ToxicStubPort } from './toxic-kind.js'

/** Data passes untouched; when the source closes, passing the close on is delayed by `delay` ms. */
export const slowCloseToxic: ToxicKind = {
  type: 'slow_close',
  goStruct: 'SlowCloseToxic',
  attributes: [{ name: 'delay', goType: 'int64' }],
  queueLimit: UNBUFFERED_QUEUE,
  closesOnRemove: false,
  async pipe(stub: ToxicStubPort): Promise<void> {
    const { delay = 0 } = stub.attributes
    for (;;) {
      const item = stub.readNow() ?? (await stub.read())
      if (item === INTERRUPTED) return
      if (typeof item === 'symbol' && item !== END_OF_STREAM) continue
      if (item !== END_OF_STREAM) {
        stub.emit(item)
        continue
      }
      if (await stub.sleep(delay)) return stub.close()
      // Interrupted while delaying: keep the end queued, so the next run (or the removal's drain) passes it on.
      stub.unread(END_OF_STREAM)
      return
    }
  },
}
