import { describe, expect, it } from 'vitest'
import { call, callJson, createRawProxy } from './support/raw-api.js'
import { usePeersFixture } from './support/peers-fixture.js'
import { connectWatched, sleep, type SocketWatch } from './support/sockets.js'

/** Toxics that end connections: limit_data (T8), reset_peer (T9), timeout (T10), and slow_close. */
const peers = usePeersFixture()
let listenPort: number

async function proxyTo(upstream: string): Promise<void> {
  listenPort = await createRawProxy(peers.server.url, upstream)
}

async function toxic(body: Record<string, unknown>): Promise<void> {
  const response = await call(peers.server.url, 'POST', '/proxies/p/toxics', body)
  expect(response.status, response.text).toBe(200)
}

/** A client through the proxy to the recording server, and the upstream side of the same connection. */
async function pair(): Promise<{ client: SocketWatch; upstream: SocketWatch }> {
  const client = await connectWatched(listenPort)
  return { client, upstream: await peers.recorder.nextConnection() }
}

describe('limit_data', () => {
  it('T8: below the limit passes and stays open; reaching it exactly closes; chunks across writes count together', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ type: 'limit_data', stream: 'upstream', attributes: { bytes: 100 } })
    const { client, upstream } = await pair()
    client.socket.write(Buffer.alloc(30, 'a'))
    await upstream.waitForBytes(30)
    client.socket.write(Buffer.alloc(30, 'b'))
    await upstream.waitForBytes(60)
    await sleep(50)
    expect(client.socket.destroyed).toBe(false)
    client.socket.write(Buffer.alloc(40, 'c'))
    const [clientEnd, upstreamEnd] = await Promise.all([client.endedWithin(3000), upstream.endedWithin(3000)])
    expect([clientEnd.how, upstreamEnd.how]).toEqual(['end', 'end'])
    expect(upstream.text()).toBe(`${'a'.repeat(30)}${'b'.repeat(30)}${'c'.repeat(40)}`)
  })

  it('T8: a chunk that crosses the limit is truncated, then the connection closes', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ type: 'limit_data', stream: 'upstream', attributes: { bytes: 100 } })
    const { client, upstream } = await pair()
    client.socket.write(Buffer.alloc(90, 'x'))
    await upstream.waitForBytes(90)
    client.socket.write(Buffer.alloc(50, 'y'))
    await upstream.endedWithin(3000)
    expect(upstream.text()).toBe(`${'x'.repeat(90)}${'y'.repeat(10)}`)
    expect((await client.endedWithin(3000)).how).toBe('end')
  })

  it('T8: the count survives an update; limit 0 sends nothing and closes on the first chunk, not at connect', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ name: 'limit', type: 'limit_data', stream: 'upstream', attributes: { bytes: 100 } })
    const first = await pair()
    first.client.socket.write(Buffer.alloc(60, 'a'))
    await first.upstream.waitForBytes(60)
    await callJson(peers.server.url, 'POST', '/proxies/p/toxics/limit', { attributes: { bytes: 120 } })
    first.client.socket.write(Buffer.alloc(100, 'b'))
    await first.upstream.endedWithin(3000)
    expect(first.upstream.text()).toBe(`${'a'.repeat(60)}${'b'.repeat(60)}`)

    await callJson(peers.server.url, 'POST', '/proxies/p/toxics/limit', { attributes: { bytes: 0 } })
    const second = await pair()
    await sleep(100)
    expect(second.client.socket.destroyed).toBe(false)
    second.client.socket.write('anything')
    expect((await second.client.endedWithin(3000)).how).toBe('end')
    await second.upstream.endedWithin(3000)
    expect(second.upstream.received).toBe(0)
  })

  it('T8/T4: a limit added to a live connection counts from when it was added', async () => {
    await proxyTo(peers.recorder.address)
    const { client, upstream } = await pair()
    client.socket.write(Buffer.alloc(500, 'a'))
    await upstream.waitForBytes(500)
    await toxic({ type: 'limit_data', stream: 'upstream', attributes: { bytes: 10 } })
    client.socket.write(Buffer.alloc(20, 'b'))
    await upstream.endedWithin(3000)
    expect(upstream.text()).toBe(`${'a'.repeat(500)}${'b'.repeat(10)}`)
  })

  it('T8: a downstream limit truncates what the client gets', async () => {
    await proxyTo(peers.echo.address)
    await toxic({ type: 'limit_data', attributes: { bytes: 5 } })
    const client = await connectWatched(listenPort)
    client.socket.write('hello world')
    await client.endedWithin(3000)
    expect(client.text()).toBe('hello')
  })
})

describe('reset_peer', () => {
  for (const stream of ['upstream', 'downstream'] as const) {
    for (const timeout of [0, 100]) {
      it(`T9: ${stream}, timeout ${timeout}: the first chunk is dropped, then both peers get ECONNRESET`, async () => {
        await proxyTo(peers.recorder.address)
        await toxic({ type: 'reset_peer', stream, attributes: { timeout } })
        const { client, upstream } = await pair()
        const started = performance.now()
        if (stream === 'upstream') client.socket.write('dropped')
        else upstream.socket.write('dropped')
        const [clientEnd, upstreamEnd] = await Promise.all([client.endedWithin(3000), upstream.endedWithin(3000)])
        expect([clientEnd.how, upstreamEnd.how]).toEqual(['ECONNRESET', 'ECONNRESET'])
        expect(Math.min(clientEnd.at, upstreamEnd.at) - started).toBeGreaterThanOrEqual(timeout - 2)
        expect(client.received + upstream.received).toBe(0)
      })
    }
  }

  it('T9: with no traffic in its direction nothing happens', async () => {
    await proxyTo(peers.echo.address)
    await toxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } })
    const client = await connectWatched(listenPort)
    await sleep(150)
    expect(client.socket.destroyed).toBe(false)
    client.socket.destroy()
  })

  it('T9: added to a live connection it still resets (Toxiproxy would send a FIN there; see the deviations)', async () => {
    if (!peers.server.embedded) return
    await proxyTo(peers.recorder.address)
    const { client, upstream } = await pair()
    await toxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 20 } })
    client.socket.write('x')
    expect((await client.endedWithin(3000)).how).toBe('ECONNRESET')
    expect((await upstream.endedWithin(3000)).how).toBe('ECONNRESET')
  })
})

describe('timeout', () => {
  it('T10: timeout 0 drops data and never closes; removing it closes both client and server', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ name: 'hang', type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } })
    const { client, upstream } = await pair()
    client.socket.write('dropped')
    await sleep(150)
    expect(upstream.received).toBe(0)
    expect(client.socket.destroyed).toBe(false)
    await call(peers.server.url, 'DELETE', '/proxies/p/toxics/hang')
    const [clientEnd, upstreamEnd] = await Promise.all([client.endedWithin(3000), upstream.endedWithin(3000)])
    expect([clientEnd.how, upstreamEnd.how]).toEqual(['end', 'end'])
  })

  it('T10: removing a latency in front of a timeout 0 does not hang, and data still goes nowhere', async () => {
    await proxyTo(peers.recorder.address)
    // A latency far longer than the test: were the removal to wait for the held data, it would never answer.
    await toxic({ name: 'lag', type: 'latency', stream: 'upstream', attributes: { latency: 3_600_000 } })
    await toxic({ name: 'hang', type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } })
    const { client, upstream } = await pair()
    client.socket.write('held by the latency')
    await sleep(50)
    expect((await call(peers.server.url, 'DELETE', '/proxies/p/toxics/lag')).status).toBe(204)
    await sleep(100)
    expect(upstream.received).toBe(0)
    expect(client.socket.destroyed).toBe(false)
    client.socket.destroy()
  })

  it('T10: a timeout closes after that long without data; steady traffic keeps it open', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 200 } })
    const { client, upstream } = await pair()
    for (let i = 0; i < 5; i++) {
      client.socket.write('keep alive')
      await sleep(60)
    }
    expect(client.socket.destroyed).toBe(false)
    const lastWrite = performance.now()
    client.socket.write('last')
    const end = await client.endedWithin(3000)
    expect(end.how).toBe('end')
    expect(end.at - lastWrite).toBeGreaterThanOrEqual(195)
    expect(upstream.received).toBe(0)
  })

  it('T10: /reset removes a timeout toxic and so closes its connections', async () => {
    await proxyTo(peers.echo.address)
    await toxic({ type: 'timeout', attributes: { timeout: 0 } })
    const client = await connectWatched(listenPort)
    await sleep(20)
    await call(peers.server.url, 'POST', '/reset')
    expect((await client.endedWithin(3000)).how).toBe('end')
  })
})

describe('slow_close', () => {
  it('delays passing on the close by its delay; data is untouched', async () => {
    await proxyTo(peers.recorder.address)
    await toxic({ type: 'slow_close', attributes: { delay: 200 } })
    const { client, upstream } = await pair()
    upstream.socket.write('bye')
    await client.waitForBytes(3)
    const closed = performance.now()
    upstream.socket.end()
    const end = await client.endedWithin(3000)
    expect(end.how).toBe('end')
    expect(end.at - closed).toBeGreaterThanOrEqual(195)
    expect(client.text()).toBe('bye')
  })
})
