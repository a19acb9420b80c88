import { END_OF_STREAM } from '../stream-chunk.js'
import { INTERRUPTED, UNBUFFERED_QUEUE, type ToxicKind, type ToxicStubPort } from './toxic-kind.js'

/** Passes everything through. Also what a toxic runs as when its toxicity roll says "not this link". */
export const noopToxic: ToxicKind = {
  type: 'noop',
  goStruct: 'NoopToxic',
  attributes: [],
  queueLimit: UNBUFFERED_QUEUE,
  closesOnRemove: false,
  async pipe(stub: ToxicStubPort): Promise<void> {
    for (;;) {
      const item = stub.readNow() ?? (await stub.read())
      if (item === INTERRUPTED) return
      if (item === END_OF_STREAM) return stub.close()
      if (typeof item === 'symbol') continue
      stub.emit(item)
    }
  },
}
