import { describe, expect, it } from 'vitest'
import { startToxiproxyServer } from '../../toxiproxy/toxiproxy-server.js'
import { toxicKind, toxicTypes } from '../../toxiproxy/toxics/registry.js'
import { UNBUFFERED_QUEUE } from '../../toxiproxy/toxics/toxic-kind.js'
import { call, callJson, createRawProxy } from './support/raw-api.js'
import { usePeersFixture } from './support/peers-fixture.js'
import { connectWatched, sleep, type SocketWatch } from './support/sockets.js'

/** The pipeline: buffers (T1), no loss while toxics change (T2), toxicity (T3), stalls (T4), persistence (T5), overhead (T12). */
const peers = usePeersFixture()
let listenPort: number

async function proxyTo(upstream: string, url = peers.server.url): Promise<number> {
  listenPort = await createRawProxy(url, upstream)
  return listenPort
}

async function toxic(body: Record<string, unknown>, url = peers.server.url): Promise<void> {
  const response = await call(url, 'POST', '/proxies/p/toxics', body)
  expect(response.status, response.text).toBe(200)
}

async function echoTime(peer: SocketWatch, message = 'ping'): Promise<number> {
  const before = peer.received
  const started = performance.now()
  peer.socket.write(message)
  await peer.waitForBytes(before + message.length, 10_000)
  return performance.now() - started
}

describe('the toxic pipeline', () => {
  it('T1: latency buffers 1024 chunks, every other toxic about one chunk (Toxiproxy: unbuffered channels)', () => {
    expect(toxicKind('latency')?.queueLimit.chunks).toBe(1024)
    for (const type of toxicTypes().filter((t) => t !== 'latency'))
      expect(toxicKind(type)?.queueLimit, type).toEqual(UNBUFFERED_QUEUE)
  })

  it('T1: a stalled toxic stops the proxy reading (the sender keeps its data); a long latency buffers it instead', async () => {
    await proxyTo(peers.recorder.address)
    const flood = async (): Promise<{ client: SocketWatch; upstream: SocketWatch }> => {
      const client = await connectWatched(listenPort)
      const upstream = await peers.recorder.nextConnection()
      const piece = Buffer.alloc(64 * 1024, 7)
      for (let i = 0; i < 128; i++) client.socket.write(piece) // 8 MiB
      await sleep(400)
      return { client, upstream }
    }
    await toxic({ name: 'stall', type: 'bandwidth', stream: 'upstream', attributes: { rate: 0 } })
    const stalled = await flood()
    // The kernel takes about 4 MB; the stalled proxy holds one chunk; the rest stays with the sender.
    expect(stalled.client.socket.writableLength).toBeGreaterThan(3 * 1024 * 1024)
    expect(stalled.upstream.received).toBe(0)
    stalled.client.socket.destroy()
    await call(peers.server.url, 'DELETE', '/proxies/p/toxics/stall')
    await toxic({ name: 'slow', type: 'latency', stream: 'upstream', attributes: { latency: 3000 } })
    const buffered = await flood()
    expect(buffered.client.socket.writableLength).toBeLessThan(1024 * 1024)
    expect(buffered.upstream.received).toBe(0)
    buffered.client.socket.destroy()
  })

  it('T2: adding and removing toxics while streaming loses, duplicates and reorders nothing, then ends cleanly', async () => {
    await proxyTo(peers.recorder.address)
    const client = await connectWatched(listenPort)
    const upstream = await peers.recorder.nextConnection()
    const count = 65535
    const expected = Buffer.alloc(count * 2)
    for (let i = 0; i < count; i++) expected.writeUInt16BE(i, i * 2)
    let writing = true
    const churn = (async () => {
      const bodies = [
        { name: 'lag', type: 'latency', stream: 'upstream', attributes: { latency: 2, jitter: 2 } },
        {
          name: 'slice',
          type: 'slicer',
          stream: 'upstream',
          attributes: { average_size: 64, size_variation: 32, delay: 0 },
        },
        { name: 'noop', type: 'noop', stream: 'upstream' },
        { name: 'bw', type: 'bandwidth', stream: 'upstream', attributes: { rate: 100_000 } },
        { name: 'stall', type: 'bandwidth', stream: 'upstream', attributes: { rate: 0 } },
      ]
      let rounds = 0
      while (writing) {
        for (const body of bodies) await toxic(body)
        await call(peers.server.url, 'POST', '/proxies/p/toxics/lag', { attributes: { latency: 1 } })
        // Removed in an order that differs from the order added: middle, last, first.
        for (const name of ['noop', 'stall', 'lag', 'bw', 'slice'])
          await call(peers.server.url, 'DELETE', `/proxies/p/toxics/${name}`)
        rounds++
      }
      return rounds
    })()
    for (let offset = 0; offset < expected.length; offset += 512) {
      client.socket.write(expected.subarray(offset, offset + 512))
      if (offset % 2048 === 0) await sleep(1)
    }
    await sleep(50)
    writing = false
    const rounds = await churn
    client.socket.end()
    const received = await upstream.waitForBytes(expected.length, 20_000)
    expect((await upstream.endedWithin(5000)).how).toBe('end')
    expect(rounds).toBeGreaterThanOrEqual(3)
    expect(received.length).toBe(expected.length)
    expect(received.equals(expected)).toBe(true)
  })

  it('T3: toxicity 0 bypasses the toxic; updating it to 1 with timeout 100 closes the connection ~100 ms later', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ name: 'maybe', type: 'timeout', stream: 'upstream', toxicity: 0, attributes: { timeout: 100 } })
    const client = await connectWatched(listenPort)
    const upstream = await peers.recorder.nextConnection()
    client.socket.write('through')
    expect((await upstream.waitForBytes(7)).toString()).toBe('through')
    await sleep(200)
    expect(client.socket.destroyed).toBe(false)
    const updated = performance.now()
    await callJson(peers.server.url, 'POST', '/proxies/p/toxics/maybe', { toxicity: 1 })
    const end = await client.endedWithin(3000)
    expect(end.how).toBe('end')
    expect(end.at - updated).toBeGreaterThanOrEqual(95)
  })

  it('T3: toxicity 0.5 affects some connections and spares others; the same seed picks the same ones', async () => {
    if (!peers.server.embedded) return
    const pattern = async (seed: number): Promise<boolean[]> => {
      const other = await startToxiproxyServer({ port: 0, seed })
      try {
        await proxyTo(peers.echo.address, other.url)
        await toxic({ type: 'latency', toxicity: 0.5, attributes: { latency: 300 } }, other.url)
        const delayed: boolean[] = []
        for (let i = 0; i < 8; i++) {
          const peer = await connectWatched(listenPort)
          delayed.push((await echoTime(peer)) >= 295)
          peer.socket.destroy()
        }
        return delayed
      } finally {
        await other.close()
      }
    }
    const first = await pattern(42)
    expect(first.some((d) => d)).toBe(true)
    expect(first.some((d) => !d)).toBe(true)
    expect(await pattern(42)).toEqual(first)
  })

  it('T4: removing toxics from a stream stalled by bandwidth 0 does not hang and delivers everything in order', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ name: 'stall', type: 'bandwidth', stream: 'upstream', attributes: { rate: 0 } })
    await toxic({ name: 'lag', type: 'latency', stream: 'upstream', attributes: { latency: 1 } })
    const client = await connectWatched(listenPort)
    const upstream = await peers.recorder.nextConnection()
    const payload = Buffer.alloc(2 * 1024 * 1024)
    for (let i = 0; i < payload.length; i++) payload[i] = i % 253
    client.socket.write(payload)
    await sleep(100)
    expect(upstream.received).toBe(0)
    // Removing a toxic answers at once, whatever it holds: the DELETEs answer before the held bytes arrive.
    expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/lag')).status).toBe(204)
    expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/stall')).status).toBe(204)
    expect((await upstream.waitForBytes(payload.length, 10_000)).equals(payload)).toBe(true)
    client.socket.destroy()
  })

  it('T5: a persistent connection keeps echoing while noop toxics are added and reset 100 times', async () => {
    await proxyTo(peers.echo.address)
    const peer = await connectWatched(listenPort)
    for (let i = 0; i < 100; i++) {
      await toxic({ name: 'up', type: 'noop', stream: 'upstream' })
      await toxic({ name: 'down', type: 'noop', stream: 'downstream' })
      const message = `echo ${i};`
      const before = peer.received
      peer.socket.write(message)
      expect((await peer.waitForBytes(before + message.length)).subarray(before).toString()).toBe(message)
      expect((await call(peers.server.url, 'POST', '/reset')).status).toBe(204)
    }
    expect(peer.socket.destroyed).toBe(false)
    peer.socket.destroy()
  })

  it('T12: with no toxics the proxy adds no delay of its own (how little it adds is measured in bench/proxy.bench.ts)', async () => {
    await proxyTo(peers.echo.address)
    const median = async (port: number): Promise<number> => {
      const peer = await connectWatched(port)
      const times: number[] = []
      for (let i = 0; i < 100; i++) times.push(await echoTime(peer))
      peer.socket.destroy()
      return times.sort((a, b) => a - b)[50] as number
    }
    const proxied = await median(listenPort)
    // Compared under the same load with a round trip that certainly waits 100 ms more: no absolute time limit.
    await toxic({ name: 'lag', type: 'latency', stream: 'upstream', attributes: { latency: 100 } })
    const delayed = await median(listenPort)
    expect(delayed).toBeGreaterThanOrEqual(100)
    expect(proxied).toBeLessThan(delayed)
  })
})
