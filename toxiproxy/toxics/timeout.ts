import { END_OF_STREAM } from '../stream-chunk.js'
import { INTERRUPTED, TIMED_OUT, UNBUFFERED_QUEUE, type ToxicKind, type ToxicStubPort } from './toxic-kind.js'

/**
 * Drops every byte. With `timeout` > 0 it closes the connection once no data has arrived for `timeout` ms (each chunk
 * re-arms the timer, so steady traffic keeps it open); 0 never closes. Removing it closes the connection (Toxiproxy's
 * Cleanup), also on links whose toxicity roll bypassed it.
 */
export const timeoutToxic: ToxicKind = {
  type: 'timeout',
  goStruct: 'TimeoutToxic',
  attributes: [{ name: 'timeout', goType: 'int64' }],
  queueLimit: UNBUFFERED_QUEUE,
  closesOnRemove: true,
  async pipe(stub: ToxicStubPort): Promise<void> {
    const { timeout = 0 } = stub.attributes
    for (;;) {
      const item = stub.readNow() ?? (await stub.read(timeout > 0 ? timeout : undefined))
      if (item === INTERRUPTED) return
      if (item === END_OF_STREAM || item === TIMED_OUT) return stub.close()
      // A chunk: dropped on the floor.
    }
  },
}
