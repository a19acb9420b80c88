import { END_OF_STREAM } from '../stream-chunk.js'
import { INTERRUPTED, UNBUFFERED_QUEUE, type ToxicKind, type ToxicStubPort } from './toxic-kind.js'

interface LimitDataState {
  transmitted: number
}

/**
 * Forwards at most `bytes` bytes in total on each link, truncating the chunk that crosses the limit, then closes the
 * connection. The count lives on the link and survives updates; `bytes` 0 closes on the first chunk, not at connect.
 */
export const limitDataToxic: ToxicKind = {
  type: 'limit_data',
  goStruct: 'LimitDataToxic',
  attributes: [{ name: 'bytes', goType: 'int64' }],
  queueLimit: UNBUFFERED_QUEUE,
  closesOnRemove: false,
  async pipe(stub: ToxicStubPort): Promise<void> {
    const { bytes = 0 } = stub.attributes
    const state = (stub.state ??= { transmitted: 0 }) as LimitDataState
    for (;;) {
      const item = stub.readNow() ?? (await stub.read())
      if (item === INTERRUPTED) return
      if (item === END_OF_STREAM) return stub.close()
      if (typeof item === 'symbol') continue
      const remaining = Math.max(0, bytes - state.transmitted)
      const data = item.data.length > remaining ? item.data.subarray(0, remaining) : item.data
      if (data.length > 0) {
        stub.emit({ data, timestamp: item.timestamp })
        state.transmitted += data.length
      }
      if (bytes - state.transmitted <= 0) return stub.close()
    }
  },
}
