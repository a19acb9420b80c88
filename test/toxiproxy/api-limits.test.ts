import { describe, expect, it } from 'vitest'
import { apiErrorText, call, callJson, createRawProxy } from './support/raw-api.js'
import { requestHead, WireConnection, type WireResponse } from './support/raw-http.js'
import { usePeersFixture } from './support/peers-fixture.js'

/**
 * Requests at the API's limits: oversized bodies, deeply nested JSON and very long names. A real Toxiproxy answers all
 * of them without crashing or hanging; the exact error texts are the embedded server's and are checked only there.
 */
const peers = usePeersFixture()

const apiPort = (): number => Number(new URL(peers.server.url).port)

/** The embedded server's body cap (16 MiB). */
const BODY_CAP = 16 * 1024 * 1024

/** The embedded server's cap on proxy and toxic names, in UTF-8 bytes. */
const NAME_CAP = 65_536

describe('a refused oversized body leaves the keep-alive connection usable or cleanly closed', () => {
  /** After `refused`, the next request on `connection` is answered, or the 400 said `Connection: close` and it closed. */
  async function expectNextRequestServed(connection: WireConnection, refused: WireResponse): Promise<void> {
    await connection.write(requestHead('GET', '/version'))
    const next = await connection.next()
    if (next === 'closed') {
      expect(refused.headers.connection).toBe('close')
    } else {
      expect(next.status).toBe(200)
      expect(next.body).toContain('"version"')
    }
  }

  function expectRefused(response: WireResponse | 'closed'): asserts response is WireResponse {
    expect(response).not.toBe('closed')
    if (response === 'closed') return
    expect(response.status).toBe(400)
    if (peers.server.embedded) {
      expect(response.body).toBe(apiErrorText('bad request body: http: request body too large', 400))
    }
  }

  for (const [over, label] of [
    [1, 'one byte'],
    [4 * 1024 * 1024, '4 MiB'],
  ] as const) {
    it(`a Content-Length body ${label} over 16 MiB gets a 400, then the next request on the connection is answered`, async () => {
      const connection = await WireConnection.open(apiPort())
      const body = Buffer.alloc(BODY_CAP + over, ' ')
      const head = requestHead('POST', '/proxies', {
        'Content-Type': 'application/json',
        'Content-Length': body.length,
      })
      const sent = connection.write(Buffer.concat([Buffer.from(head), body]))
      const refused = await connection.next()
      await sent
      expectRefused(refused)
      await expectNextRequestServed(connection, refused)
      connection.destroy()
    })
  }

  it('a chunked body over 16 MiB gets a 400, then the next request on the connection is answered', async () => {
    const connection = await WireConnection.open(apiPort())
    const chunk = Buffer.alloc(1024 * 1024, ' ')
    const framedChunk = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
    const head = requestHead('POST', '/proxies/p/toxics', { 'Transfer-Encoding': 'chunked' })
    await createRawProxy(peers.server.url, peers.echo.address)
    const sent = (async () => {
      await connection.write(head)
      for (let i = 0; i < 17; i++) await connection.write(framedChunk)
      await connection.write('0\r\n\r\n')
    })()
    const refused = await connection.next()
    await sent
    expectRefused(refused)
    await expectNextRequestServed(connection, refused)
    connection.destroy()
  })

  it('a body of exactly 16 MiB is read and decoded, and the connection stays usable', async () => {
    const connection = await WireConnection.open(apiPort())
    const json = Buffer.from('{"name":"big","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"}')
    const body = Buffer.concat([json, Buffer.alloc(BODY_CAP - json.length, ' ')])
    const head = requestHead('POST', '/proxies', { 'Content-Length': body.length })
    const sent = connection.write(Buffer.concat([Buffer.from(head), body]))
    const created = await connection.next()
    await sent
    expect(created === 'closed' ? 'closed' : created.status).toBe(201)
    await connection.write(requestHead('GET', '/proxies/big'))
    const fetched = await connection.next()
    expect(fetched === 'closed' ? 'closed' : fetched.status).toBe(200)
    connection.destroy()
  })
})

describe('deeply nested JSON is a 400 bad request body, never a crash', () => {
  const deepArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`
  const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
  const tooDeep = (opening: string): string => `bad request body: invalid character '${opening}' exceeded max depth`

  for (const depth of [5_000, 100_000]) {
    for (const [shape, build, opening] of [
      ['arrays', deepArray, '['],
      ['objects', deepObject, '{'],
    ] as const) {
      it(`${depth} nested ${shape} on POST /proxies and POST /proxies/{name}/toxics get 400`, async () => {
        await createRawProxy(peers.server.url, peers.echo.address)
        const bodies = [
          build(depth),
          // Nested under a key that is otherwise ignored: the depth alone is the fault.
          `{"name":"deep","listen":"127.0.0.1:0","upstream":"${peers.echo.address}","x":${build(depth)}}`,
        ]
        for (const body of bodies) {
          for (const path of ['/proxies', '/proxies/p/toxics']) {
            const response = await call(peers.server.url, 'POST', path, body)
            expect(response.status, `${path}: ${response.text.slice(0, 200)}`).toBe(400)
            if (peers.server.embedded) {
              expect(response.text).toBe(apiErrorText(tooDeep(opening), 400))
              expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
            }
          }
        }
        const toxic = `{"type":"latency","attributes":{"latency":1,"x":${build(depth)}}}`
        expect((await call(peers.server.url, 'POST', '/proxies/p/toxics', toxic)).status).toBe(400)
        expect(await callJson(peers.server.url, 'GET', '/proxies/p/toxics')).toEqual([])
        expect(Object.keys(await callJson(peers.server.url, 'GET', '/proxies'))).toEqual(['p'])
      })
    }
  }

  it('moderately nested (100 levels) but valid bodies still create a proxy and a toxic', async () => {
    const nested = `[${deepObject(50)},${deepArray(100)}]`
    const created = await call(
      peers.server.url,
      'POST',
      '/proxies',
      `{"name":"nested","listen":"127.0.0.1:0","upstream":"${peers.echo.address}","extra":${nested}}`,
    )
    expect(created.status, created.text).toBe(201)
    const toxic = await call(
      peers.server.url,
      'POST',
      '/proxies/nested/toxics',
      `{"name":"slow","type":"latency","extra":${nested},"attributes":{"latency":7,"extra":${nested}}}`,
    )
    expect(toxic.status, toxic.text).toBe(200)
    expect(JSON.parse(toxic.text)).toMatchObject({ name: 'slow', attributes: { latency: 7, jitter: 0 } })
  })
})

describe('names up to the cap can be created, read and deleted by name; longer ones are refused', () => {
  /** 'n' × bytes (ASCII, sent as is) or 'é' × bytes/2 (two UTF-8 bytes each, six characters once percent-encoded). */
  const names = (bytes: number): Array<[string, string]> => [
    ['ascii', 'n'.repeat(bytes)],
    ['two-byte', 'é'.repeat(bytes / 2)],
  ]

  /** Status and whether the reply names `name`: short enough to read in a failure, unlike 64 KiB names. */
  async function named(method: string, path: string, name: string, body?: unknown): Promise<[number, boolean]> {
    const response = await call(peers.server.url, method, path, body)
    const ok = response.status < 300 && (JSON.parse(response.text) as { name: string }).name === name
    return [response.status, ok]
  }

  for (const [kind, name] of names(NAME_CAP)) {
    it(`a ${kind} proxy name and toxic name of exactly ${NAME_CAP} bytes work through GET and DELETE`, async () => {
      const path = `/proxies/${encodeURIComponent(name)}`
      const proxy = { name, listen: '127.0.0.1:0', upstream: peers.echo.address }
      expect(await named('POST', '/proxies', name, proxy)).toEqual([201, true])
      expect(await named('GET', path, name)).toEqual([200, true])
      const toxicName = name.replace(/./g, (c) => (c === 'n' ? 't' : 'ü'))
      const toxicPath = `${path}/toxics/${encodeURIComponent(toxicName)}`
      expect(await named('POST', `${path}/toxics`, toxicName, { name: toxicName, type: 'latency' })).toEqual([
        200,
        true,
      ])
      expect(await named('GET', toxicPath, toxicName)).toEqual([200, true])
      expect(await named('POST', toxicPath, toxicName, { attributes: { latency: 3 } })).toEqual([200, true])
      expect((await call(peers.server.url, 'DELETE', toxicPath)).status).toBe(204)
      expect((await call(peers.server.url, 'DELETE', path)).status).toBe(204)
      expect((await call(peers.server.url, 'GET', path)).status).toBe(404)
    })
  }

  for (const [kind, name] of names(NAME_CAP + 2)) {
    it(`a ${kind} name over ${NAME_CAP} bytes is refused with 400 at creation, and nothing is created`, async () => {
      if (!peers.server.embedded) return // a real Toxiproxy has no cap (and then cannot GET names beyond ~1 MB)
      const over = kind === 'ascii' ? name.slice(1) : name // NAME_CAP + 1 bytes, or + 2 for two-byte characters
      const tooLong = apiErrorText(`name too long: more than ${NAME_CAP} bytes`, 400)
      const proxy = { name: over, listen: '127.0.0.1:0', upstream: peers.echo.address }
      const refused = await call(peers.server.url, 'POST', '/proxies', proxy)
      expect({ status: refused.status, text: refused.text.slice(0, 200) }).toEqual({ status: 400, text: tooLong })
      const populated = await call(peers.server.url, 'POST', '/populate', [{ ...proxy, name: 'ok' }, proxy])
      expect(populated.text.slice(0, 200)).toBe(
        JSON.stringify({ error: `name too long: more than ${NAME_CAP} bytes at proxy 2`, status: 400, proxies: null }),
      )
      expect(populated.status).toBe(400)
      expect(await callJson(peers.server.url, 'GET', '/proxies')).toEqual({})
      await createRawProxy(peers.server.url, peers.echo.address)
      const toxic = await call(peers.server.url, 'POST', '/proxies/p/toxics', { name: over, type: 'latency' })
      expect({ status: toxic.status, text: toxic.text.slice(0, 200) }).toEqual({ status: 400, text: tooLong })
      expect(await callJson(peers.server.url, 'GET', '/proxies/p/toxics')).toEqual([])
    })
  }
})
