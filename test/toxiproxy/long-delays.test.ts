import { afterEach, describe, expect, it, vi } from 'vitest'
import { atDeadline } from '../../toxiproxy/deadline-timer.js'
import type { StreamItem } from '../../toxiproxy/stream-chunk.js'
import { latencyToxic } from '../../toxiproxy/toxics/latency.js'
import { INTERRUPTED, type ToxicStubPort } from '../../toxiproxy/toxics/toxic-kind.js'
import { call, createRawProxy } from './support/raw-api.js'
import { usePeersFixture } from './support/peers-fixture.js'
import { connectWatched, sleep, type SocketWatch } from './support/sockets.js'

/**
 * Delays of 2^31 ms (24.8 days) or more: setTimeout cannot take them (Node fires after 1 ms instead, with a
 * TimeoutOverflowWarning), so the timers must hop, and a huge attribute means "effectively forever" at no cost.
 * Windows here only give a bug time to show; nothing is asserted about how long anything took.
 */
const peers = usePeersFixture()
let listenPort: number

/** A delay past setTimeout's limit (2^31 - 1 ms). */
const HUGE_MS = 3e9
/** How long each test watches for warnings and early delivery. */
const WINDOW_MS = 300

afterEach(() => {
  // The spy first: restoring it after the real timers are back would put the fake setTimeout back in place.
  vi.restoreAllMocks()
  vi.useRealTimers()
})

/** Counts TimeoutOverflowWarnings emitted in this process (the embedded server's timers) until stopped. */
function watchOverflowWarnings(): { readonly count: () => number; stop(): void } {
  let count = 0
  const listener = (warning: Error): void => {
    if (warning.name === 'TimeoutOverflowWarning') count++
  }
  process.on('warning', listener)
  return { count: () => count, stop: () => process.off('warning', listener) }
}

async function toxic(body: Record<string, unknown> | string): Promise<void> {
  const response = await call(peers.server.url, 'POST', '/proxies/p/toxics', body)
  expect(response.status, response.text).toBe(200)
}

/** A client through proxy `p` to the recording server, and the upstream side of the same connection. */
async function pair(): Promise<{ client: SocketWatch; upstream: SocketWatch }> {
  listenPort = await createRawProxy(peers.server.url, peers.recorder.address)
  const client = await connectWatched(listenPort)
  return { client, upstream: await peers.recorder.nextConnection() }
}

/** Runs `during` with the warning watch on, waits the window, and checks that no warning came. */
async function withoutOverflow(during: () => Promise<void>): Promise<void> {
  const warnings = watchOverflowWarnings()
  try {
    await during()
    await sleep(WINDOW_MS)
    expect(warnings.count()).toBe(0)
  } finally {
    warnings.stop()
  }
}

describe('atDeadline', () => {
  it('a deadline past 2^31 ms arms one timer per 2^31 - 1 ms hop, fires once at the deadline, and never early', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const armed = vi.spyOn(globalThis, 'setTimeout')
    const deadline = performance.now() + 5e9
    let firedAt: number | null = null
    let fired = 0
    atDeadline(deadline, () => {
      fired++
      firedAt = performance.now()
    })
    vi.advanceTimersByTime(1000)
    // Node (and the fake clock, which copies it) turns an over-long delay into 1 ms: a re-arm every millisecond.
    expect(armed.mock.calls.length).toBe(1)
    vi.advanceTimersByTime(deadline - performance.now() - 1)
    expect(fired).toBe(0)
    expect(armed.mock.calls.length).toBeLessThanOrEqual(4)
    vi.advanceTimersByTime(1)
    expect([fired, firedAt]).toEqual([1, deadline])
  })

  it('a 3e9 ms deadline emits no TimeoutOverflowWarning and can be cancelled', async () => {
    const warnings = watchOverflowWarnings()
    let fired = false
    const timer = atDeadline(performance.now() + HUGE_MS, () => (fired = true))
    await sleep(100)
    timer.cancel()
    warnings.stop()
    expect([warnings.count(), fired]).toEqual([0, false])
  })
})

describe('latency jitter beyond 2^53', () => {
  it('draws its offset from a range the random stream can represent exactly (Go panics from 2^62 on)', async () => {
    const draws: Array<[number, number]> = []
    const deadlines: number[] = []
    let reads = 0
    const chunk: StreamItem = { data: Buffer.from('x'), timestamp: 0 }
    const stub: ToxicStubPort = {
      attributes: { latency: 9223372036854775807, jitter: 4611686018427387904 },
      random: {
        int: (min, max) => (draws.push([min, max]), max),
        float: () => 0,
      },
      state: undefined,
      readNow: () => (reads++ === 0 ? chunk : INTERRUPTED),
      read: () => Promise.resolve(INTERRUPTED),
      unread: () => {},
      sleep: () => Promise.resolve(true),
      sleepUntil: (deadline) => (deadlines.push(deadline), Promise.resolve(true)),
      sleepThroughInterrupts: () => Promise.resolve(),
      waitForInterrupt: () => Promise.resolve(),
      emit: () => {},
      close: () => {},
      resetPeer: () => {},
    }
    await latencyToxic.pipe(stub)
    expect(draws.length).toBe(1)
    expect(draws.every(([min, max]) => Number.isSafeInteger(min) && Number.isSafeInteger(max))).toBe(true)
    expect(deadlines.length).toBe(1)
    expect(deadlines[0]).toBeGreaterThan(2 ** 62)
  })
})

describe('toxics with delays past 2^31 ms hold without timer overflow', () => {
  it('latency 3e9: the data is held with no warning; removing the toxic passes it on and the connection works', async () => {
    const { client, upstream } = await pair()
    await withoutOverflow(async () => {
      await toxic({ name: 'lag', type: 'latency', stream: 'upstream', attributes: { latency: HUGE_MS } })
      client.socket.write('held')
    })
    expect(upstream.received).toBe(0)
    expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/lag')).status).toBe(204)
    await upstream.waitForBytes(4, 10_000)
    client.socket.write(' then more')
    expect((await upstream.waitForBytes(14, 10_000)).toString()).toBe('held then more')
    client.socket.destroy()
  })

  it('latency 6e9 ± 3e9 jitter: held with no warning; an update to latency 0 passes it on', async () => {
    const { client, upstream } = await pair()
    await withoutOverflow(async () => {
      await toxic({ name: 'lag', type: 'latency', stream: 'upstream', attributes: { latency: 6e9, jitter: 3e9 } })
      client.socket.write('held')
    })
    expect(upstream.received).toBe(0)
    const updated = await call(peers.server.url, 'POST', '/proxies/p/toxics/lag', {
      attributes: { latency: 0, jitter: 0 },
    })
    expect(updated.status).toBe(200)
    expect((await upstream.waitForBytes(4, 10_000)).toString()).toBe('held')
    client.socket.destroy()
  })

  it('timeout 3e9: data is dropped and the connection stays open with no warning; removing it closes both sides', async () => {
    const { client, upstream } = await pair()
    await withoutOverflow(async () => {
      await toxic({ name: 'hang', type: 'timeout', stream: 'upstream', attributes: { timeout: HUGE_MS } })
      client.socket.write('dropped')
    })
    expect(upstream.received).toBe(0)
    expect(client.socket.destroyed).toBe(false)
    expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/hang')).status).toBe(204)
    const [clientEnd, upstreamEnd] = await Promise.all([client.endedWithin(10_000), upstream.endedWithin(10_000)])
    expect([clientEnd.how, upstreamEnd.how]).toEqual(['end', 'end'])
  })

  it('slow_close 3e9: the close is held with no warning; removing the toxic passes it on', async () => {
    const { client, upstream } = await pair()
    await withoutOverflow(async () => {
      await toxic({ name: 'slow', type: 'slow_close', stream: 'upstream', attributes: { delay: HUGE_MS } })
      client.socket.write('data')
      await upstream.waitForBytes(4, 10_000)
      client.socket.end()
    })
    expect(upstream.socket.readableEnded).toBe(false)
    expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/slow')).status).toBe(204)
    expect((await upstream.endedWithin(10_000)).how).toBe('end')
    expect(upstream.text()).toBe('data')
  })

  it('reset_peer 3e9: the wait after the first chunk holds with no warning and the connection stays up', async () => {
    const { client, upstream } = await pair()
    await withoutOverflow(async () => {
      await toxic({ name: 'rst', type: 'reset_peer', stream: 'upstream', attributes: { timeout: HUGE_MS } })
      client.socket.write('dropped')
    })
    expect(upstream.received).toBe(0)
    expect([client.socket.destroyed, upstream.socket.destroyed]).toEqual([false, false])
    client.socket.destroy()
  })

  it('slicer with a 3e12 µs delay: the first piece goes out, the rest is held with no warning, removal flushes it', async () => {
    const { client, upstream } = await pair()
    await withoutOverflow(async () => {
      const attributes = { average_size: 1, size_variation: 0, delay: HUGE_MS * 1000 }
      await toxic({ name: 'cut', type: 'slicer', stream: 'upstream', attributes })
      client.socket.write('abc')
      await upstream.waitForBytes(1, 10_000)
    })
    expect(upstream.text()).toBe('a')
    expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/cut')).status).toBe(204)
    expect((await upstream.waitForBytes(3, 10_000)).toString()).toBe('abc')
    client.socket.destroy()
  })

  it('bandwidth at 1 KB/s on 64 KiB: the longest delay a rate can make (100 ms slices) holds with no warning', async () => {
    const { client, upstream } = await pair()
    await withoutOverflow(async () => {
      await toxic({ name: 'thin', type: 'bandwidth', stream: 'upstream', attributes: { rate: 1 } })
      client.socket.write(Buffer.alloc(64 * 1024, 'b'))
    })
    expect(upstream.received).toBeLessThan(64 * 1024)
    expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/thin')).status).toBe(204)
    expect((await upstream.waitForBytes(64 * 1024, 10_000)).length).toBe(64 * 1024)
    client.socket.destroy()
  })
})
