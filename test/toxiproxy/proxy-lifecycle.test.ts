import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Proxy as ClientProxy } from 'toxiproxy-node-client'
import { ByteCounters } from '../../toxiproxy/byte-counters.js'
import { PollWindow } from '../../toxiproxy/poll-window.js'
import { Proxy, ProxyAlreadyStartedError } from '../../toxiproxy/proxy.js'
import { call, callJson } from './support/raw-api.js'
import { usePeersFixture } from './support/peers-fixture.js'
import { connectWatched, freePort, listen, portOf, sleep, tryConnect, type SocketWatch } from './support/sockets.js'
import type { Upstream } from './support/tcp-peers.js'

/** Proxy lifecycle cases P1–P7 (proxy_test.go, proxy_collection_test.go) and what enable/disable/update do to connections. */
const peers = usePeersFixture()

async function proxyTo(target: Upstream | string, name = 'p', listenAt = '127.0.0.1:0'): Promise<ClientProxy> {
  const upstream = typeof target === 'string' ? target : target.address
  return peers.server.client.createProxy({ name, listen: listenAt, upstream })
}

async function roundTrip(peer: SocketWatch, message: string): Promise<string> {
  const before = peer.received
  peer.socket.write(message)
  return (await peer.waitForBytes(before + message.length)).subarray(before).toString()
}

describe('proxy lifecycle', () => {
  it('P1: bytes pass through unchanged: a message, 64 KiB, and two writes arriving as their concatenation', async () => {
    const proxy = await proxyTo(peers.recorder)
    const client = await connectWatched(portOf(proxy.listen))
    const upstream = await peers.recorder.nextConnection()
    client.socket.write('hello world')
    expect((await upstream.waitForBytes(11)).toString()).toBe('hello world')
    const big = Buffer.alloc(64 * 1024)
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 251
    client.socket.write(big)
    expect((await upstream.waitForBytes(11 + big.length)).subarray(11).equals(big)).toBe(true)
    client.socket.write('first ')
    client.socket.write('second')
    expect((await upstream.waitForBytes(11 + big.length + 12)).subarray(11 + big.length).toString()).toBe(
      'first second',
    )
    upstream.socket.write(big)
    expect((await client.waitForBytes(big.length)).equals(big)).toBe(true)
    client.socket.destroy()
  })

  it('P2: with the upstream down, the client is accepted and then gets EOF promptly', async () => {
    for (const upstream of [`127.0.0.1:${await freePort()}`, 'no-such-host.invalid:3306', 'missing-port']) {
      await peers.server.wipe()
      const proxy = await proxyTo(upstream)
      const client = await connectWatched(portOf(proxy.listen))
      // An end, not a reset or a hang: the wait is only a deadline for a proxy that never closes.
      const end = await client.endedWithin(10_000)
      expect(end.how).toBe('end')
    }
  })

  it('P3: stop is idempotent; a second proxy cannot start on a taken address; starting a started proxy fails', async () => {
    const proxy = await proxyTo(peers.echo)
    for (let i = 0; i < 2; i++) {
      const response = await callJson<{ enabled: boolean }>(peers.server.url, 'POST', '/proxies/p', { enabled: false })
      expect(response.enabled).toBe(false)
    }
    await callJson(peers.server.url, 'POST', '/proxies/p', { enabled: true })
    const other = await call(peers.server.url, 'POST', '/proxies', {
      name: 'q',
      listen: proxy.listen,
      upstream: peers.echo.address,
      enabled: false,
    })
    expect(other.status).toBe(201)
    const start = await call(peers.server.url, 'POST', '/proxies/q', { enabled: true })
    expect(start.status).toBe(500)
    expect(JSON.parse(start.text).error).toBe(`listen tcp ${proxy.listen}: bind: address already in use`)
    if (!peers.server.embedded) return
    const direct = new Proxy('direct', '127.0.0.1:0', peers.echo.address, {
      counters: new ByteCounters(),
      seed: 1,
      pollWindow: new PollWindow(0),
      reportFailure: () => {},
    })
    await direct.start()
    await expect(direct.start()).rejects.toBeInstanceOf(ProxyAlreadyStartedError)
    direct.stop()
    direct.stop()
    expect(await tryConnect(portOf(direct.listen))).toBe('ECONNREFUSED')
  })

  it('P4: updating listen to localhost:0 moves to a new port; the same listen again stays up; enabled:false goes down', async () => {
    const proxy = await proxyTo(peers.echo)
    const moved = await proxy.update({ enabled: true, listen: 'localhost:0', upstream: peers.echo.address })
    expect(moved.listen).not.toBe(proxy.listen)
    expect(await tryConnect(portOf(proxy.listen))).toBe('ECONNREFUSED')
    expect(await tryConnect(portOf(moved.listen))).toBe('connected')
    const again = await moved.update({ enabled: true, listen: 'localhost:0', upstream: peers.echo.address })
    expect(again.enabled).toBe(true)
    expect(await tryConnect(portOf(again.listen))).toBe('connected')
    const down = await again.update({ enabled: false, listen: again.listen, upstream: peers.echo.address })
    expect(down.enabled).toBe(false)
    expect(await tryConnect(portOf(again.listen))).toBe('ECONNREFUSED')
  })

  it('P5: an update whose listen resolves to the current address keeps existing connections', async () => {
    const proxy = await proxyTo(peers.echo)
    const client = await connectWatched(portOf(proxy.listen))
    expect(await roundTrip(client, 'before')).toBe('before')
    const same = await proxy.update({
      enabled: true,
      listen: `localhost:${portOf(proxy.listen)}`,
      upstream: peers.echo.address,
    })
    expect(same.listen).toBe(proxy.listen)
    expect(await roundTrip(client, 'after')).toBe('after')
    expect(client.socket.destroyed).toBe(false)
    client.socket.destroy()
  })

  it('P6: a proxy that could not start because its port was taken starts once the port is free', async () => {
    const blocker = createServer()
    const port = await listen(blocker)
    await call(peers.server.url, 'POST', '/proxies', {
      name: 'p',
      listen: `127.0.0.1:${port}`,
      upstream: peers.echo.address,
      enabled: false,
    })
    const refused = await call(peers.server.url, 'POST', '/proxies/p', { enabled: true })
    expect(refused.status).toBe(500)
    expect((await callJson<{ enabled: boolean }>(peers.server.url, 'GET', '/proxies/p')).enabled).toBe(false)
    await new Promise((resolve) => blocker.close(resolve))
    const started = await callJson<{ enabled: boolean; listen: string }>(peers.server.url, 'POST', '/proxies/p', {
      enabled: true,
    })
    expect(started).toMatchObject({ enabled: true, listen: `127.0.0.1:${port}` })
    expect(await tryConnect(port)).toBe('connected')
  })

  it('P7: the collection rejects duplicate names, lists and removes proxies', async () => {
    await proxyTo(peers.echo, 'a')
    await proxyTo(peers.echo, 'b')
    expect(
      (
        await call(peers.server.url, 'POST', '/proxies', {
          name: 'a',
          listen: '127.0.0.1:0',
          upstream: peers.echo.address,
        })
      ).status,
    ).toBe(409)
    expect(Object.keys(await peers.server.client.getAll())).toEqual(['a', 'b'])
    await (await peers.server.client.get('a')).remove()
    expect(Object.keys(await peers.server.client.getAll())).toEqual(['b'])
  })
})

describe('what enable, disable, update and delete do to live connections', () => {
  it('disabling closes the client and the upstream connection (both see EOF), keeps toxics, and refuses new connects', async () => {
    const proxy = await proxyTo(peers.recorder)
    await call(peers.server.url, 'POST', '/proxies/p/toxics', {
      name: 'lag',
      type: 'latency',
      attributes: { latency: 1 },
    })
    const client = await connectWatched(portOf(proxy.listen))
    const upstream = await peers.recorder.nextConnection()
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: peers.recorder.address })
    // Disabling closes both sides (a deadline only catches a proxy that never does).
    const [clientEnd, upstreamEnd] = await Promise.all([client.endedWithin(10_000), upstream.endedWithin(10_000)])
    expect([clientEnd.how, upstreamEnd.how]).toEqual(['end', 'end'])
    expect(await tryConnect(portOf(proxy.listen))).toBe('ECONNREFUSED')
    const again = await proxy.update({ enabled: true, listen: proxy.listen, upstream: peers.recorder.address })
    expect(again.listen).toBe(proxy.listen)
    expect((await callJson<unknown[]>(peers.server.url, 'GET', '/proxies/p/toxics')).length).toBe(1)
    const second = await connectWatched(portOf(again.listen))
    const secondUpstream = await peers.recorder.nextConnection()
    second.socket.write('back')
    expect((await secondUpstream.waitForBytes(4)).toString()).toBe('back')
    second.socket.destroy()
  })

  it('changing the upstream or deleting the proxy drops its connections', async () => {
    const proxy = await proxyTo(peers.echo)
    const first = await connectWatched(portOf(proxy.listen))
    expect(await roundTrip(first, 'x')).toBe('x')
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: peers.recorder.address })
    expect((await first.endedWithin(2000)).how).toBe('end')
    const second = await connectWatched(portOf(proxy.listen))
    await peers.recorder.nextConnection()
    await proxy.remove()
    expect((await second.endedWithin(2000)).how).toBe('end')
  })

  it('there is no TCP half-close: a client that ends its side loses the late reply, as through Toxiproxy', async () => {
    const proxy = await proxyTo(peers.recorder)
    const client = await connectWatched(portOf(proxy.listen))
    const upstream = await peers.recorder.nextConnection()
    client.socket.end('request')
    expect((await upstream.waitForBytes(7)).toString()).toBe('request')
    await upstream.endedWithin(2000)
    if (!upstream.socket.destroyed) upstream.socket.write('late reply')
    await client.endedWithin(2000)
    expect(client.received).toBe(0)
  })
})

describe('listen addresses (embedded server: 127.0.0.1 only)', () => {
  it('loopback and wildcard hosts bind 127.0.0.1; any other host is refused with a listen error', async () => {
    if (!peers.server.embedded) return
    for (const [listenAt, name] of [
      ['0.0.0.0:0', 'wildcard'],
      [':0', 'empty-host'],
      ['', 'empty'],
      ['[::1]:0', 'ipv6-loopback'],
      ['LOCALHOST:0', 'localhost'],
    ] as const) {
      const proxy = await callJson<{ listen: string }>(peers.server.url, 'POST', '/proxies', {
        name,
        listen: listenAt,
        upstream: peers.echo.address,
      })
      expect(proxy.listen, listenAt).toMatch(/^127\.0\.0\.1:\d+$/)
      expect(await tryConnect(portOf(proxy.listen))).toBe('connected')
    }
    const refused = await call(peers.server.url, 'POST', '/proxies', {
      name: 'lan',
      listen: '10.1.2.3:3306',
      upstream: peers.echo.address,
    })
    expect(refused.status).toBe(500)
    expect(JSON.parse(refused.text).error).toMatch(
      /^listen tcp 10\.1\.2\.3:3306: this proxy listens on 127\.0\.0\.1 only/,
    )
    const badPort = await call(peers.server.url, 'POST', '/proxies', {
      name: 'bad',
      listen: '127.0.0.1:99999',
      upstream: peers.echo.address,
    })
    expect(JSON.parse(badPort.text).error).toBe('listen tcp: address 99999: invalid port')
    await sleep(0)
  })
})
