import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SeededRandom } from '../../core/random/seeded-random.js'
import { sliceBounds } from '../../toxiproxy/toxics/slicer.js'
import { call, callJson } from './support/raw-api.js'
import { startServerUnderTest, type ServerUnderTest } from './support/server-under-test.js'
import { connectWatched, portOf } from './support/sockets.js'
import { startRecordingServer } from './support/tcp-peers.js'

/** The slicer (T11): the split itself, and the bytes through a proxy. */
let server: ServerUnderTest
let recorder: Awaited<ReturnType<typeof startRecordingServer>>

beforeAll(async () => {
  server = await startServerUnderTest()
  recorder = await startRecordingServer()
})
afterEach(async () => server.wipe())
afterAll(async () => {
  await server.close()
  await recorder.close()
})

const pieces = (bounds: number[]): number[] =>
  bounds.filter((_, i) => i % 2 === 1).map((end, i) => end - (bounds[i * 2] as number))

describe('slicer', () => {
  it('T11: 480 KB at 1024 ± 512 become 240–720 pieces; variation 0 with average 1 gives exact 1-byte slices', () => {
    const random = new SeededRandom(7, 'slicer')
    const sizes = pieces(sliceBounds(480_000, { averageSize: 1024, sizeVariation: 512 }, random))
    expect(sizes.length).toBeGreaterThanOrEqual(240)
    expect(sizes.length).toBeLessThanOrEqual(720)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(480_000)
    expect(pieces(sliceBounds(24, { averageSize: 1, sizeVariation: 0 }, random))).toEqual(Array(24).fill(1))
  })

  it('T11: the pieces always tile the chunk in order, none empty, each within average + variation (or one byte)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 65_536 }),
        fc.integer({ min: -5, max: 5000 }),
        fc.integer({ min: -5, max: 5000 }),
        fc.integer(),
        (length, averageSize, sizeVariation, seed) => {
          const bounds = sliceBounds(length, { averageSize, sizeVariation }, new SeededRandom(seed, 'slicer'))
          const contiguous = bounds.every((bound, i) =>
            i === 0 ? bound === 0 : i % 2 === 1 || bound === bounds[i - 1],
          )
          const sizes = pieces(bounds)
          const badPiece = sizes.find((size) => size <= 0 || (size - averageSize > sizeVariation && size !== 1))
          expect({ contiguous, end: bounds[bounds.length - 1], badPiece }).toEqual({
            contiguous: true,
            end: length,
            badPiece: undefined,
          })
        },
      ),
      { numRuns: 200 },
    )
  })

  it('T11: through a proxy 480 KB at 1024 ± 512 arrive byte-identical', async () => {
    const proxy = await callJson<{ listen: string }>(server.url, 'POST', '/proxies', {
      name: 'p',
      listen: '127.0.0.1:0',
      upstream: recorder.address,
    })
    const added = await call(server.url, 'POST', '/proxies/p/toxics', {
      type: 'slicer',
      stream: 'upstream',
      attributes: { average_size: 1024, size_variation: 512, delay: 200 },
    })
    expect(added.status).toBe(200)
    const client = await connectWatched(portOf(proxy.listen))
    const upstream = await recorder.nextConnection()
    const payload = Buffer.from('hello world '.repeat(40_000))
    client.socket.write(payload)
    expect((await upstream.waitForBytes(payload.length, 20_000)).equals(payload)).toBe(true)
    client.socket.destroy()
  })

  it('T11: through a proxy, 64 KiB in 1 KiB slices 2 ms apart arrive in many small reads', async () => {
    const proxy = await callJson<{ listen: string }>(server.url, 'POST', '/proxies', {
      name: 'p',
      listen: '127.0.0.1:0',
      upstream: recorder.address,
    })
    await call(server.url, 'POST', '/proxies/p/toxics', {
      type: 'slicer',
      stream: 'upstream',
      attributes: { average_size: 1024, size_variation: 0, delay: 2000 },
    })
    const client = await connectWatched(portOf(proxy.listen))
    const upstream = await recorder.nextConnection()
    const payload = Buffer.alloc(64 * 1024, 'z')
    client.socket.write(payload)
    expect((await upstream.waitForBytes(payload.length, 10_000)).equals(payload)).toBe(true)
    // Unsliced, 64 KiB arrive in one or two reads; sliced, 64 pieces 2 ms apart arrive apart unless the receiver's
    // event loop stalls for several milliseconds at a time.
    expect(upstream.chunks.length).toBeGreaterThanOrEqual(16)
    client.socket.destroy()
  })

  it('T11: variation 0, average 1, delay 2 ms: the bytes arrive one by one', async () => {
    const proxy = await callJson<{ listen: string }>(server.url, 'POST', '/proxies', {
      name: 'p',
      listen: '127.0.0.1:0',
      upstream: recorder.address,
    })
    await call(server.url, 'POST', '/proxies/p/toxics', {
      type: 'slicer',
      stream: 'upstream',
      attributes: { average_size: 1, size_variation: 0, delay: 2000 },
    })
    const client = await connectWatched(portOf(proxy.listen))
    const upstream = await recorder.nextConnection()
    client.socket.write('abcdefghijklmnopqrstuvwx')
    expect((await upstream.waitForBytes(24)).toString()).toBe('abcdefghijklmnopqrstuvwx')
    // One read per byte on an idle machine; a receiver whose event loop stalls merges some reads (the slicing itself
    // is exact: see the first test), so only "many separate reads" is asserted here.
    expect(upstream.chunks.length).toBeGreaterThanOrEqual(6)
    client.socket.destroy()
  })
})
