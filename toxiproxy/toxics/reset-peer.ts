import { END_OF_STREAM } from '../stream-chunk.js'
import { INTERRUPTED, UNBUFFERED_QUEUE, type ToxicKind, type ToxicStubPort } from './toxic-kind.js'

/**
 * Waits for the first chunk (or the end) in its direction and discards it, waits `timeout` ms, then resets the
 * connection: both peers get ECONNRESET. Once triggered the reset is committed: like Toxiproxy, the wait ignores
 * updates and removal.
 */
export const resetPeerToxic: ToxicKind = {
  type: 'reset_peer',
  goStruct: 'ResetToxic',
  attributes: [{ name: 'timeout', goType: 'int64' }],
  queueLimit: UNBUFFERED_QUEUE,
  closesOnRemove: false,
  async pipe(stub: ToxicStubPort): Promise<void> {
    const { timeout = 0 } = stub.attributes
    const first = stub.readNow() ?? (await stub.read())
    if (first === INTERRUPTED) return
    if (first !== END_OF_STREAM && typeof first === 'symbol') return
    await stub.sleepThroughInterrupts(timeout)
    stub.resetPeer()
  },
}
