import { describe, expect, it } from 'vitest'
import { call, createRawProxy } from './support/raw-api.js'
import { usePeersFixture } from './support/peers-fixture.js'
import { connectWatched, type SocketWatch } from './support/sockets.js'

/**
 * Latency (T6) and bandwidth (T7). Timing checks are lower bounds, which a correct proxy always meets; upper bounds
 * are only loose sanity checks (a loaded two-core machine can stall any process for a while).
 */
const peers = usePeersFixture()
let listenPort: number

async function proxyTo(upstream: string): Promise<void> {
  listenPort = await createRawProxy(peers.server.url, upstream)
}

async function toxic(body: Record<string, unknown>): Promise<void> {
  const response = await call(peers.server.url, 'POST', '/proxies/p/toxics', body)
  expect(response.status, response.text).toBe(200)
}

/** Milliseconds from writing `message` to reading it all back through the echo server. */
async function echoTime(peer: SocketWatch, message = 'ping'): Promise<number> {
  const before = peer.received
  const started = performance.now()
  peer.socket.write(message)
  await peer.waitForBytes(before + message.length, 10_000)
  return performance.now() - started
}

/** The fastest of a few round trips: an upper bound that one stalled event loop cannot break. */
async function fastestEcho(peer: SocketWatch, tries = 3): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < tries; i++) times.push(await echoTime(peer))
  return Math.min(...times)
}

describe('latency', () => {
  it('T6: upstream-only, downstream-only and both directions add their latency to a round trip', async () => {
    await proxyTo(peers.echo.address)
    const peer = await connectWatched(listenPort)
    const baseline = await fastestEcho(peer)
    await toxic({ name: 'up', type: 'latency', stream: 'upstream', attributes: { latency: 120 } })
    expect(await echoTime(peer)).toBeGreaterThanOrEqual(115)
    await call(peers.server.url, 'DELETE', '/proxies/p/toxics/up')
    await toxic({ name: 'down', type: 'latency', stream: 'downstream', attributes: { latency: 120 } })
    expect(await echoTime(peer)).toBeGreaterThanOrEqual(115)
    await toxic({ name: 'up', type: 'latency', stream: 'upstream', attributes: { latency: 80 } })
    expect(await echoTime(peer)).toBeGreaterThanOrEqual(195)
    // Removed, the latency is gone again: faster than any round trip that waited 200 ms (no absolute time limit).
    await call(peers.server.url, 'DELETE', '/proxies/p/toxics/up')
    await call(peers.server.url, 'DELETE', '/proxies/p/toxics/down')
    expect(await fastestEcho(peer)).toBeLessThan(Math.max(baseline, 1) + 195)
    peer.socket.destroy()
  })

  it('T6: biased latencies delay each direction by its own amount', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 200 } })
    await toxic({ type: 'latency', stream: 'downstream', attributes: { latency: 20 } })
    const client = await connectWatched(listenPort)
    const upstream = await peers.recorder.nextConnection()
    let started = performance.now()
    client.socket.write('to server')
    await upstream.waitForBytes(9)
    const upstreamTime = performance.now() - started
    expect(upstreamTime).toBeGreaterThanOrEqual(195)
    const downstream: number[] = []
    for (let i = 1; i <= 3; i++) {
      started = performance.now()
      upstream.socket.write('to client')
      await client.waitForBytes(9 * i)
      downstream.push(performance.now() - started)
    }
    expect(Math.min(...downstream)).toBeGreaterThanOrEqual(18)
    // Downstream waits its own 20 ms, not upstream's 200 (compared under the same load: no absolute limit).
    expect(Math.min(...downstream)).toBeLessThan(upstreamTime)
    client.socket.destroy()
  })

  it('T6: latency 0 adds nothing; two stacked latencies add up; jitter stays within latency ± jitter', async () => {
    await proxyTo(peers.echo.address)
    await toxic({ name: 'zero', type: 'latency', attributes: { latency: 0 } })
    const peer = await connectWatched(listenPort)
    const withZero = await fastestEcho(peer)
    await toxic({ name: 'first', type: 'latency', attributes: { latency: 150 } })
    await toxic({ name: 'second', type: 'latency', attributes: { latency: 150 } })
    const stacked = await echoTime(peer)
    expect(stacked).toBeGreaterThanOrEqual(295)
    expect(withZero).toBeLessThan(stacked)
    for (const name of ['zero', 'first', 'second']) await call(peers.server.url, 'DELETE', `/proxies/p/toxics/${name}`)
    await toxic({ name: 'jittery', type: 'latency', attributes: { latency: 60, jitter: 40 } })
    const times: number[] = []
    for (let i = 0; i < 8; i++) times.push(await echoTime(peer))
    // Uniform in [20, 100) ms: every round trip takes at least 20 ms, and they are not all alike.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(19)
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(5)
    peer.socket.destroy()
  })

  it('T6: chunks are never reordered under jitter', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 30, jitter: 25 } })
    const client = await connectWatched(listenPort)
    const upstream = await peers.recorder.nextConnection()
    const expected: string[] = []
    for (let i = 0; i < 40; i++) {
      const line = `${String(i).padStart(4, '0')}\n`
      expected.push(line)
      client.socket.write(line)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect((await upstream.waitForBytes(200, 10_000)).toString()).toBe(expected.join(''))
    client.socket.destroy()
  })

  it('T6: latency does not reduce throughput: 16 MB take about the latency plus the transfer, not a delay per chunk', async () => {
    await proxyTo(peers.recorder.address)
    const push = async (): Promise<number> => {
      const client = await connectWatched(listenPort)
      const upstream = await peers.recorder.nextConnection()
      const piece = Buffer.alloc(64 * 1024, 1)
      const total = 16 * 1024 * 1024
      const started = performance.now()
      for (let sent = 0; sent < total; sent += piece.length) client.socket.write(piece)
      await upstream.waitForBytes(total, 30_000)
      client.socket.destroy()
      return performance.now() - started
    }
    const baseline = await push()
    await toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 100 } })
    const delayed = await push()
    expect(delayed).toBeGreaterThanOrEqual(95)
    // A proxy that delayed each 64 KiB chunk in turn would need 256 × 100 ms = 25.6 s.
    expect(delayed).toBeLessThan(100 + Math.max(3000, 10 * baseline))
  })

  it('T6: 1000 × add latency → connect → write → close → remove leaves the proxy working', async () => {
    await proxyTo(peers.echo.address)
    for (let i = 0; i < 1000; i++) {
      await toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 10 } })
      const peer = await connectWatched(listenPort)
      peer.socket.end('hello')
      expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/latency_upstream')).status).toBe(204)
    }
    // Every one of those connections is closed through to the upstream: nothing leaks.
    const deadline = performance.now() + 5000
    while (peers.echo.connections.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(peers.echo.connections.size).toBe(0)
    const peer = await connectWatched(listenPort)
    await echoTime(peer) // still echoes (the wait has its own deadline)
    peer.socket.destroy()
  })
})

describe('bandwidth', () => {
  it('T7: at 1000 KB/s, 480 KB take at least 480 ms and arrive byte for byte; a faster rate takes less', async () => {
    await proxyTo(peers.recorder.address)
    const payload = Buffer.alloc(480_000)
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) % 256
    const send = async (rate: number): Promise<number> => {
      await toxic({ name: 'bw', type: 'bandwidth', stream: 'upstream', attributes: { rate } })
      const client = await connectWatched(listenPort)
      const upstream = await peers.recorder.nextConnection()
      const started = performance.now()
      client.socket.write(payload)
      const received = await upstream.waitForBytes(payload.length, 30_000)
      const elapsed = performance.now() - started
      expect(received.equals(payload)).toBe(true)
      client.socket.destroy()
      await call(peers.server.url, 'DELETE', '/proxies/p/toxics/bw')
      return elapsed
    }
    const fast = await send(4000)
    const slow = await send(1000)
    // KB is 1000 bytes: 480 ms, where KiB would give 469 ms. The rate shapes the time: no absolute upper limit.
    expect(fast).toBeGreaterThanOrEqual(118)
    expect(slow).toBeGreaterThanOrEqual(478)
    expect(fast).toBeLessThan(slow)
  })

  it('T7: a slow downstream holds the sender back (back-pressure) rather than buffering everything', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ type: 'bandwidth', stream: 'downstream', attributes: { rate: 100 } })
    const client = await connectWatched(listenPort)
    const upstream = await peers.recorder.nextConnection()
    const piece = Buffer.alloc(64 * 1024)
    for (let i = 0; i < 256; i++) upstream.socket.write(piece)
    await new Promise((resolve) => setTimeout(resolve, 400))
    // 16 MiB written at 100 KB/s: the proxy holds about one chunk, the kernel a few MB, the rest waits in the sender.
    expect(upstream.socket.writableLength).toBeGreaterThan(8 * 1024 * 1024)
    expect(client.received).toBeLessThan(1024 * 1024)
    client.socket.destroy()
  })
})
