import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Toxiproxy, ToxiproxyError, type ICreateToxicBody, type Latency, type Proxy } from 'toxiproxy-node-client'
import type { LimitData, ResetPeer } from 'toxiproxy-node-client/dist/Toxic.js'
import { callJson } from './support/raw-api.js'
import { startServerUnderTest, type ServerUnderTest } from './support/server-under-test.js'
import { connectWatched, freePort, portOf, tryConnect } from './support/sockets.js'
import { startEchoServer, type Upstream } from './support/tcp-peers.js'

/**
 * Every method of toxiproxy-node-client 4.1.0 against the server, each success checked against the server's state and
 * each rejection checked to have really happened (with the client's own error text).
 */
let server: ServerUnderTest
let upstream: Upstream
let client: Toxiproxy

beforeAll(async () => {
  server = await startServerUnderTest()
  upstream = await startEchoServer()
  client = server.client
})
afterEach(async () => server.wipe())
afterAll(async () => {
  await server.close()
  await upstream.close()
})

/** The client's error for a non-2xx status. */
async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ToxiproxyError)
    return { name: (error as ToxiproxyError).name, message: (error as ToxiproxyError).message }
  }
  throw new Error('expected the call to be rejected, but it succeeded')
}

const statusError = (status: number) => ({ name: 'Error', message: `Request failed with status code ${status}` })

async function newProxy(name = 'p'): Promise<Proxy> {
  return client.createProxy({ name, listen: '127.0.0.1:0', upstream: upstream.address })
}

/** The client types make name, stream and toxicity required; servers default them, so tests send partial bodies. */
function toxicBody<T>(body: Partial<ICreateToxicBody<T>>): ICreateToxicBody<T> {
  return body as ICreateToxicBody<T>
}

describe('toxiproxy-node-client against the server', () => {
  it('createProxy returns the created proxy; a duplicate is rejected with 409', async () => {
    const proxy = await newProxy()
    expect(proxy.toJson()).toEqual({
      name: 'p',
      listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      upstream: upstream.address,
      enabled: true,
    })
    expect(await tryConnect(portOf(proxy.listen))).toBe('connected')
    expect(await rejection(newProxy())).toEqual(statusError(409))
    expect(await rejection(client.createProxy({ name: '', listen: '127.0.0.1:0', upstream: 'x:1' }))).toEqual(
      statusError(400),
    )
  })

  it('get, getAll and getVersion', async () => {
    await newProxy('b')
    await newProxy('a')
    expect((await client.get('a')).name).toBe('a')
    expect(Object.keys(await client.getAll())).toEqual(['a', 'b'])
    expect(await client.getVersion()).toMatch(/^\{"version": "[^"]+"\}\n$/)
    expect(await rejection(client.get('missing'))).toEqual(statusError(404))
  })

  it('populate returns the proxies by name; a bad entry is rejected', async () => {
    const port = await freePort()
    const proxies = await client.populate([
      { name: 'one', listen: `localhost:${port}`, upstream: upstream.address },
      { name: 'two', listen: '127.0.0.1:0', upstream: upstream.address, enabled: false },
    ])
    expect(Object.keys(proxies)).toEqual(['one', 'two'])
    expect(proxies.one?.listen).toBe(`127.0.0.1:${port}`)
    expect(proxies.two?.enabled).toBe(false)
    expect(await rejection(client.populate([{ name: '', listen: '127.0.0.1:0', upstream: 'x:1' }]))).toEqual(
      statusError(400),
    )
  })

  it('populate with no proxies works with the client (the embedded server answers "proxies":[], not null)', async () => {
    if (!server.embedded) return // a real Toxiproxy answers null and the client throws a TypeError
    expect(await client.populate([])).toEqual({})
  })

  it('reset removes toxics and re-enables proxies', async () => {
    const proxy = await newProxy()
    await proxy.addToxic(toxicBody<Latency>({ type: 'latency', attributes: { latency: 10, jitter: 0 } }))
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream })
    await client.reset()
    const raw = await callJson<{ enabled: boolean; toxics: unknown[] }>(server.url, 'GET', '/proxies/p')
    expect(raw).toMatchObject({ enabled: true, toxics: [] })
  })

  it('Proxy: getters, getPath, getHost, update (disable, enable, move), remove', async () => {
    const proxy = await newProxy()
    expect(proxy.getHost()).toBe(server.url)
    expect(proxy.getPath()).toBe(`${server.url}/proxies/p`)
    expect(proxy.getToxiproxy()).toBe(client)
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream })
    expect(disabled.enabled).toBe(false)
    expect(await tryConnect(portOf(proxy.listen))).toBe('ECONNREFUSED')
    const moved = await disabled.update({ enabled: true, listen: 'localhost:0', upstream: proxy.upstream })
    expect(moved.enabled).toBe(true)
    expect(moved.listen).not.toBe(proxy.listen)
    expect(await tryConnect(portOf(moved.listen))).toBe('connected')
    await moved.remove()
    expect(await client.getAll()).toEqual({})
    expect(await rejection(moved.remove())).toEqual(statusError(404))
    expect(await rejection(moved.update({ enabled: true, listen: 'x', upstream: 'y' }))).toEqual(statusError(404))
  })

  it('Proxy.update with a listen that cannot bind is rejected with 500 and leaves the proxy stopped', async () => {
    const other = await newProxy('other')
    const proxy = await newProxy()
    expect(await rejection(proxy.update({ enabled: true, listen: other.listen, upstream: proxy.upstream }))).toEqual(
      statusError(500),
    )
    expect((await client.get('p')).enabled).toBe(false)
  })

  it('Proxy.addToxic, getToxic; Toxic getters, update, remove', async () => {
    const proxy = await newProxy()
    const toxic = await proxy.addToxic(
      toxicBody<Latency>({
        name: 'lag',
        type: 'latency',
        stream: 'upstream',
        toxicity: 1,
        attributes: { latency: 20, jitter: 5 },
      }),
    )
    expect(toxic.toJson()).toEqual({
      name: 'lag',
      type: 'latency',
      stream: 'upstream',
      toxicity: 1,
      attributes: { latency: 20, jitter: 5 },
    })
    expect(toxic.getPath()).toBe(`${server.url}/proxies/p/toxics/lag`)
    expect((await proxy.getToxic<Latency>('lag')).attributes).toEqual({ latency: 20, jitter: 5 })
    const updated = await toxic.update(toxicBody<Latency>({ attributes: { latency: 40 } as Latency, toxicity: 0.25 }))
    expect(updated.toJson()).toMatchObject({ attributes: { latency: 40, jitter: 5 }, toxicity: 0.25 })
    await updated.remove()
    expect(await rejection(proxy.getToxic('lag'))).toEqual(statusError(404))
    expect(await rejection(updated.remove())).toEqual(statusError(404))
    expect(await rejection(toxic.update(toxicBody<Latency>({ toxicity: 1 })))).toEqual(statusError(404))
  })

  it('addToxic with every type the client names; `down` is rejected with 400', async () => {
    const proxy = await newProxy()
    const bodies: Array<ICreateToxicBody<unknown>> = [
      toxicBody<Latency>({ type: 'latency', attributes: { latency: 1, jitter: 0 } }),
      toxicBody({ type: 'bandwidth', stream: 'upstream', attributes: { rate: 1000 } }),
      toxicBody({ type: 'slow_close', attributes: { delay: 10 } }),
      toxicBody({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 }, name: 'to' }),
      toxicBody({ type: 'slicer', attributes: { average_size: 10, size_variation: 2, delay: 5 } }),
      toxicBody<LimitData>({ type: 'limit_data', stream: 'upstream', attributes: { bytes: 100 } }),
      toxicBody<ResetPeer>({ type: 'reset_peer', name: 'rp', attributes: { timeout: 5 } }),
    ]
    for (const body of bodies) expect((await proxy.addToxic(body)).type).toBe(body.type)
    expect((await callJson<unknown[]>(server.url, 'GET', '/proxies/p/toxics')).length).toBe(bodies.length)
    expect(await rejection(proxy.addToxic(toxicBody({ type: 'down', attributes: {} })))).toEqual(statusError(400))
  })

  it('a proxy whose toxics the client cannot see still works through the client afterwards', async () => {
    const proxy = await newProxy()
    await proxy.addToxic(toxicBody<Latency>({ type: 'latency', attributes: { latency: 1, jitter: 0 } }))
    const peer = await connectWatched(portOf(proxy.listen))
    peer.socket.write('ping')
    expect((await peer.waitForBytes(4)).toString()).toBe('ping')
    peer.socket.destroy()
  })

  it('a server that is not there gives the client a TypeError "fetch failed"', async () => {
    const gone = new Toxiproxy(`http://127.0.0.1:${await freePort()}`)
    expect(await rejection(gone.getAll())).toEqual({ name: 'TypeError', message: 'fetch failed' })
  })
})
