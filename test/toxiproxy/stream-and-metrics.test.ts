import { describe, expect, it } from 'vitest'
import { parseDirection } from '../../toxiproxy/direction.js'
import { END_OF_STREAM, StreamItemQueue, type StreamItem } from '../../toxiproxy/stream-chunk.js'
import { startToxiproxyServer } from '../../toxiproxy/toxiproxy-server.js'
import { call, callJson } from './support/raw-api.js'
import { connectWatched, portOf } from './support/sockets.js'
import { startEchoServer } from './support/tcp-peers.js'

/** T13: the stream primitives, direction parsing, and the metrics endpoint (embedded server internals). */
describe('streams, directions and metrics', () => {
  it('T13: the item queue is FIFO, takes items back at the front, and carries the end of stream', () => {
    const queue = new StreamItemQueue()
    const chunk = (text: string): StreamItem => ({ data: Buffer.from(text), timestamp: 0 })
    const items = Array.from({ length: 3000 }, (_, i) => chunk(String(i)))
    for (const item of items) queue.push(item)
    queue.push(END_OF_STREAM)
    const first = queue.shift() as StreamItem
    queue.unshift(first)
    const out: StreamItem[] = []
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item)
    expect(out).toEqual([...items, END_OF_STREAM])
    expect(queue.length).toBe(0)
    expect(queue.shift()).toBeUndefined()
  })

  it('T13: directions parse case-insensitively; anything else is rejected', () => {
    expect(['upstream', 'Upstream', 'DOWNSTREAM', 'downstream'].map(parseDirection)).toEqual([
      'upstream',
      'upstream',
      'downstream',
      'downstream',
    ])
    for (const bad of ['', 'up', 'walrustream', ' upstream']) expect(parseDirection(bad)).toBeNull()
  })

  it('T13: /metrics exists only when enabled and counts bytes per proxy and direction', async () => {
    const plain = await startToxiproxyServer({ port: 0 })
    expect((await call(plain.url, 'GET', '/metrics')).status).toBe(404)
    await plain.close()

    const server = await startToxiproxyServer({ port: 0, metrics: true })
    const echo = await startEchoServer()
    try {
      const proxy = await callJson<{ listen: string }>(server.url, 'POST', '/proxies', {
        name: 'echo',
        listen: '127.0.0.1:0',
        upstream: echo.address,
      })
      const peer = await connectWatched(portOf(proxy.listen))
      peer.socket.write('hello')
      await peer.waitForBytes(5)
      peer.socket.destroy()
      const metrics = await call(server.url, 'GET', '/metrics')
      expect(metrics.status).toBe(200)
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/)
      const labels = `listener="${proxy.listen}",proxy="echo",upstream="${echo.address}"`
      for (const direction of ['upstream', 'downstream']) {
        expect(metrics.text).toContain(`toxiproxy_proxy_received_bytes_total{direction="${direction}",${labels}} 5`)
        expect(metrics.text).toContain(`toxiproxy_proxy_sent_bytes_total{direction="${direction}",${labels}} 5`)
      }
    } finally {
      await server.close()
      await echo.close()
    }
  })
})
