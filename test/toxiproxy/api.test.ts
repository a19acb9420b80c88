import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { apiErrorText, call, callJson } from './support/raw-api.js'
import { startServerUnderTest, type ServerUnderTest } from './support/server-under-test.js'
import { freePort, portOf, tryConnect } from './support/sockets.js'
import { startEchoServer, type Upstream } from './support/tcp-peers.js'

/** Toxiproxy's API conformance cases A1–A23 (api_test.go), checked through raw HTTP for exact statuses and bodies. */
let server: ServerUnderTest
let upstream: Upstream

interface ProxyJson {
  name: string
  listen: string
  upstream: string
  enabled: boolean
  toxics: ToxicJson[]
}

interface ToxicJson {
  name: string
  type: string
  stream: string
  toxicity: number
  attributes: Record<string, number>
}

beforeAll(async () => {
  server = await startServerUnderTest()
  upstream = await startEchoServer()
})
afterEach(async () => server.wipe())
afterAll(async () => {
  await server.close()
  await upstream.close()
})

const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(server.url, method, path, body, headers)

async function createProxy(name: string, extra: Record<string, unknown> = {}): Promise<ProxyJson> {
  return callJson<ProxyJson>(server.url, 'POST', '/proxies', {
    name,
    listen: '127.0.0.1:0',
    upstream: upstream.address,
    ...extra,
  })
}

async function addToxic(proxy: string, body: Record<string, unknown>): Promise<ToxicJson> {
  return callJson<ToxicJson>(server.url, 'POST', `/proxies/${proxy}/toxics`, body)
}

function expectApiError(
  response: { status: number; text: string; headers: Headers },
  status: number,
  error: string,
): void {
  expect({ status: response.status, text: response.text }).toEqual({ status, text: apiErrorText(error, status) })
  expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
}

describe('Toxiproxy API conformance', () => {
  it('A1: every response carries X-Toxiproxy-Request-Id; a Mozilla user agent gets 403, curl and Wget do not', async () => {
    const ids = new Set<string>()
    for (const [method, path] of [
      ['GET', '/version'],
      ['GET', '/proxies'],
      ['GET', '/proxies/missing'],
    ] as const) {
      const id = (await api(method, path)).headers.get('x-toxiproxy-request-id')
      expect(id).toMatch(/^[0-9a-v]{20}$/)
      ids.add(id as string)
    }
    expect(ids.size).toBe(3)
    const browser = await api('GET', '/proxies', undefined, { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' })
    expect(browser.status).toBe(403)
    expect(browser.text).toBe('User agent not allowed\n')
    expect(browser.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    for (const agent of ['curl/8.5.0', 'Wget/1.21.3']) {
      expect((await api('GET', '/proxies', undefined, { 'User-Agent': agent })).status).toBe(200)
    }
  })

  it('A2: GET /proxies on an empty server returns {}', async () => {
    const response = await api('GET', '/proxies')
    expect(response.status).toBe(200)
    expect(response.text).toBe('{}')
    expect(response.headers.get('content-type')).toBe('application/json')
  })

  it('A3: a blank name or upstream is 400 missing required field', async () => {
    expectApiError(
      await api('POST', '/proxies', { name: '', listen: '127.0.0.1:0', upstream: upstream.address }),
      400,
      'missing required field: name',
    )
    expectApiError(
      await api('POST', '/proxies', { listen: '127.0.0.1:0', upstream: upstream.address }),
      400,
      'missing required field: name',
    )
    expectApiError(
      await api('POST', '/proxies', { name: 'a', listen: '127.0.0.1:0', upstream: '' }),
      400,
      'missing required field: upstream',
    )
    expect(await callJson(server.url, 'GET', '/proxies')).toEqual({})
  })

  it('A4: populate creates proxies in order and listening; enabled defaults to true; enabled:false is not listening', async () => {
    const [one, two, three] = [await freePort(), await freePort(), await freePort()]
    const response = await api('POST', '/populate', [
      { name: 'one', listen: `127.0.0.1:${one}`, upstream: upstream.address },
      { name: 'two', listen: `localhost:${two}`, upstream: upstream.address, enabled: true },
      { name: 'three', listen: `127.0.0.1:${three}`, upstream: upstream.address, enabled: false },
    ])
    expect(response.status).toBe(201)
    expect(response.headers.get('content-type')).toBe('application/json')
    const { proxies } = JSON.parse(response.text) as { proxies: ProxyJson[] }
    expect(proxies.map((p) => [p.name, p.listen, p.enabled])).toEqual([
      ['one', `127.0.0.1:${one}`, true],
      ['two', `127.0.0.1:${two}`, true],
      ['three', `127.0.0.1:${three}`, false],
    ])
    expect(await tryConnect(one)).toBe('connected')
    expect(await tryConnect(two)).toBe('connected')
    expect(await tryConnect(three)).toBe('ECONNREFUSED')
  })

  it('A5: populating over an identical proxy keeps it and its toxics; localhost is reported as 127.0.0.1', async () => {
    const port = await freePort()
    await createProxy('one', { listen: `localhost:${port}` })
    await addToxic('one', { type: 'latency', attributes: { latency: 5 } })
    const response = await api('POST', '/populate', [
      { name: 'one', listen: `localhost:${port}`, upstream: upstream.address },
      { name: 'two', listen: '127.0.0.1:0', upstream: upstream.address },
    ])
    expect(response.status).toBe(201)
    const { proxies } = JSON.parse(response.text) as { proxies: ProxyJson[] }
    expect(proxies.map((p) => p.name)).toEqual(['one', 'two'])
    expect(proxies[0]?.listen).toBe(`127.0.0.1:${port}`)
    const toxics = await callJson<ToxicJson[]>(server.url, 'GET', '/proxies/one/toxics')
    expect(toxics.map((t) => t.type)).toEqual(['latency'])
    expect(await tryConnect(port)).toBe('connected')
    expect(await tryConnect(portOf(proxies[1]?.listen ?? ''))).toBe('connected')
  })

  it('A6: populate with a blank name in entry 2 is 400 "… at proxy 2" and creates nothing', async () => {
    const response = await api('POST', '/populate', [
      { name: 'one', listen: '127.0.0.1:0', upstream: upstream.address },
      { name: '', listen: '127.0.0.1:0', upstream: upstream.address },
    ])
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(JSON.parse(response.text)).toEqual({
      error: 'missing required field: name at proxy 2',
      status: 400,
      proxies: null,
    })
    const missingUpstream = await api('POST', '/populate', [{ name: 'one', listen: '127.0.0.1:0' }])
    expect(JSON.parse(missingUpstream.text)).toMatchObject({
      error: 'missing required field: upstream at proxy 1',
      status: 400,
    })
    expect(await callJson(server.url, 'GET', '/proxies')).toEqual({})
  })

  it('A7: populate with a bad listen in entry 2 of 3 keeps entry 1 and creates neither 2 nor 3', async () => {
    const response = await api('POST', '/populate', [
      { name: 'one', listen: '127.0.0.1:0', upstream: upstream.address },
      { name: 'two', listen: 'bad', upstream: upstream.address },
      { name: 'three', listen: '127.0.0.1:0', upstream: upstream.address },
    ])
    expect(response.status).toBe(500)
    const body = JSON.parse(response.text) as { error: string; status: number; proxies: ProxyJson[] }
    expect(body.error).toBe('listen tcp: address bad: missing port in address')
    expect(body.status).toBe(500)
    expect(body.proxies.map((p) => p.name)).toEqual(['one'])
    expect(Object.keys(await callJson(server.url, 'GET', '/proxies'))).toEqual(['one'])
  })

  it('A8: list and get show name, resolved listen, verbatim upstream, enabled and no toxics', async () => {
    const port = await freePort()
    const created = await api('POST', '/proxies', {
      name: 'mysql',
      listen: `localhost:${port}`,
      upstream: 'somehost:12345',
    })
    expect(created.status).toBe(201)
    const expected = {
      name: 'mysql',
      listen: `127.0.0.1:${port}`,
      upstream: 'somehost:12345',
      enabled: true,
      toxics: [],
    }
    // Field order as Toxiproxy writes it: name, listen, upstream, enabled, toxics (a real one adds "Logger":{}).
    const withoutLogger = (text: string): string => text.replace(',"Logger":{}', '')
    expect(withoutLogger(created.text)).toBe(JSON.stringify(expected))
    const show = await call(server.url, 'GET', '/proxies/mysql')
    expect(withoutLogger(show.text)).toBe(JSON.stringify(expected))
    expect(withoutLogger((await call(server.url, 'GET', '/proxies')).text)).toBe(JSON.stringify({ mysql: expected }))
  })

  it('A9: a proxy created disabled keeps its listen string and is not listening until enabled', async () => {
    const port = await freePort()
    const created = await createProxy('p', { listen: `localhost:${port}`, enabled: false })
    expect(created).toMatchObject({ listen: `localhost:${port}`, enabled: false })
    expect(await tryConnect(port)).toBe('ECONNREFUSED')
    const enabled = await callJson<ProxyJson>(server.url, 'POST', '/proxies/p', { enabled: true })
    expect(enabled).toMatchObject({ listen: `127.0.0.1:${port}`, enabled: true })
    expect(await tryConnect(port)).toBe('connected')
    const disabled = await callJson<ProxyJson>(server.url, 'PATCH', '/proxies/p', { enabled: false })
    expect(disabled).toMatchObject({ listen: `127.0.0.1:${port}`, enabled: false })
    expect(await tryConnect(port)).toBe('ECONNREFUSED')
  })

  it('A10: delete stops listening and removes the proxy; deleting again is 404', async () => {
    const proxy = await createProxy('p')
    const deleted = await api('DELETE', '/proxies/p')
    expect({ status: deleted.status, text: deleted.text }).toEqual({ status: 204, text: '' })
    expect(await tryConnect(portOf(proxy.listen))).toBe('ECONNREFUSED')
    expect(await callJson(server.url, 'GET', '/proxies')).toEqual({})
    expectApiError(await api('DELETE', '/proxies/p'), 404, 'proxy not found')
  })

  it('A11: a port conflict is 500 with the bind error; the port is free again once the first proxy is deleted', async () => {
    const first = await createProxy('first')
    const response = await api('POST', '/proxies', { name: 'second', listen: first.listen, upstream: upstream.address })
    expectApiError(response, 500, `listen tcp ${first.listen}: bind: address already in use`)
    expect(Object.keys(await callJson(server.url, 'GET', '/proxies'))).toEqual(['first'])
    await api('DELETE', '/proxies/first')
    expect(
      (await api('POST', '/proxies', { name: 'second', listen: first.listen, upstream: upstream.address })).status,
    ).toBe(201)
  })

  it('A12: a name conflict is 409; after deletion the name can be reused', async () => {
    await createProxy('p')
    expectApiError(
      await api('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream: upstream.address }),
      409,
      'proxy already exists',
    )
    await api('DELETE', '/proxies/p')
    expect(
      (await api('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream: upstream.address })).status,
    ).toBe(201)
  })

  it('A13: /reset removes every toxic and re-enables every proxy, which listen again', async () => {
    const a = await createProxy('a')
    await createProxy('b')
    await addToxic('a', { type: 'latency', stream: 'upstream', attributes: { latency: 10 } })
    await addToxic('b', { type: 'bandwidth', attributes: { rate: 10 } })
    await callJson(server.url, 'POST', '/proxies/a', { enabled: false })
    const reset = await api('POST', '/reset')
    expect({ status: reset.status, text: reset.text }).toEqual({ status: 204, text: '' })
    const proxies = await callJson<Record<string, ProxyJson>>(server.url, 'GET', '/proxies')
    expect(Object.values(proxies).map((p) => [p.name, p.enabled, p.toxics])).toEqual([
      ['a', true, []],
      ['b', true, []],
    ])
    expect(await tryConnect(portOf(a.listen))).toBe('connected')
  })

  it('A14: a named toxic echoes its attributes with toxicity 1, and reads back the same', async () => {
    await createProxy('p')
    const response = await api('POST', '/proxies/p/toxics', {
      name: 'lag',
      type: 'latency',
      stream: 'downstream',
      attributes: { latency: 100, jitter: 10 },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    const expected = {
      attributes: { latency: 100, jitter: 10 },
      name: 'lag',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
    }
    expect(response.text).toBe(JSON.stringify(expected))
    expect(await callJson(server.url, 'GET', '/proxies/p/toxics')).toEqual([expected])
    expect(await callJson(server.url, 'GET', '/proxies/p/toxics/lag')).toEqual(expected)
    expect((await callJson<ProxyJson>(server.url, 'GET', '/proxies/p')).toxics).toEqual([expected])
  })

  it('A15: two latency toxics with different names coexist; missing attributes read back as 0', async () => {
    await createProxy('p')
    await addToxic('p', { name: 'one', type: 'latency', attributes: { latency: 10 } })
    await addToxic('p', { name: 'two', type: 'latency', attributes: { jitter: 3 } })
    const toxics = await callJson<ToxicJson[]>(server.url, 'GET', '/proxies/p/toxics')
    expect(toxics.map((t) => [t.name, t.attributes])).toEqual([
      ['one', { latency: 10, jitter: 0 }],
      ['two', { latency: 0, jitter: 3 }],
    ])
  })

  it('A16: a toxic name already used (any type or stream) is 409 and the original is unchanged', async () => {
    await createProxy('p')
    const original = await addToxic('p', { name: 'x', type: 'latency', attributes: { latency: 10 } })
    for (const body of [
      { name: 'x', type: 'latency', attributes: { latency: 99 } },
      { name: 'x', type: 'bandwidth', attributes: { rate: 1 } },
      { name: 'x', type: 'latency', stream: 'upstream' },
    ]) {
      expectApiError(await api('POST', '/proxies/p/toxics', body), 409, 'toxic already exists')
    }
    expect(await callJson(server.url, 'GET', '/proxies/p/toxics')).toEqual([original])
  })

  it('A17: default names latency_upstream and latency_downstream coexist', async () => {
    await createProxy('p')
    expect((await addToxic('p', { type: 'latency', stream: 'upstream' })).name).toBe('latency_upstream')
    expect((await addToxic('p', { type: 'latency', stream: 'downstream' })).name).toBe('latency_downstream')
    expect(await addToxic('p', { type: 'latency' }).catch((e: Error) => e.message)).toMatch(/409/)
    const names = (await callJson<ToxicJson[]>(server.url, 'GET', '/proxies/p/toxics')).map((t) => t.name)
    // The upstream chain is listed first, then the downstream chain.
    expect(names).toEqual(['latency_upstream', 'latency_downstream'])
  })

  it('A18: toxicity 0.2 is stored and read back; an omitted toxicity reads back as 1', async () => {
    await createProxy('p')
    const response = await api('POST', '/proxies/p/toxics', { name: 'sometimes', type: 'latency', toxicity: 0.2 })
    expect(response.text).toContain('"toxicity":0.2}')
    expect((await callJson<ToxicJson>(server.url, 'GET', '/proxies/p/toxics/sometimes')).toxicity).toBe(0.2)
    expect((await addToxic('p', { name: 'always', type: 'latency' })).toxicity).toBe(1)
  })

  it('A19: a noop toxic with no stream is downstream', async () => {
    await createProxy('p')
    expect(await addToxic('p', { type: 'noop' })).toEqual({
      attributes: {},
      name: 'noop_downstream',
      type: 'noop',
      stream: 'downstream',
      toxicity: 1,
    })
  })

  it('A20: an update changes latency and keeps jitter; a later update without toxicity keeps 0.5', async () => {
    await createProxy('p')
    await addToxic('p', { name: 'lag', type: 'latency', attributes: { latency: 100, jitter: 10 } })
    const updated = await callJson<ToxicJson>(server.url, 'POST', '/proxies/p/toxics/lag', {
      attributes: { latency: 1000 },
      toxicity: 0.5,
    })
    expect(updated).toMatchObject({ attributes: { latency: 1000, jitter: 10 }, toxicity: 0.5 })
    const again = await callJson<ToxicJson>(server.url, 'PATCH', '/proxies/p/toxics/lag', { attributes: { jitter: 3 } })
    expect(again).toMatchObject({ attributes: { latency: 1000, jitter: 3 }, toxicity: 0.5 })
  })

  it('A21: a removed toxic is gone from the list', async () => {
    await createProxy('p')
    await addToxic('p', { name: 'a', type: 'latency' })
    await addToxic('p', { name: 'b', type: 'latency', stream: 'upstream' })
    const removed = await api('DELETE', '/proxies/p/toxics/a')
    expect({ status: removed.status, text: removed.text }).toEqual({ status: 204, text: '' })
    expect((await callJson<ToxicJson[]>(server.url, 'GET', '/proxies/p/toxics')).map((t) => t.name)).toEqual(['b'])
    expectApiError(await api('DELETE', '/proxies/p/toxics/a'), 404, 'toxic not found')
  })

  it('A22: /version is exactly {"version": "<v>"} and a newline', async () => {
    const response = await api('GET', '/version')
    expect(response.status).toBe(200)
    expect(response.text).toMatch(/^\{"version": "[^"]+"\}\n$/)
    expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8')
  })

  it('A23: an unknown stream is 400 stream was invalid', async () => {
    await createProxy('p')
    expectApiError(
      await api('POST', '/proxies/p/toxics', { type: 'latency', stream: 'walrustream' }),
      400,
      'stream was invalid, can be either upstream or downstream',
    )
    expectApiError(
      await api('POST', '/proxies/p/toxics', { type: 'latency', stream: '' }),
      400,
      'stream was invalid, can be either upstream or downstream',
    )
  })
})

describe('HTTP details the client cannot see', () => {
  it('an unknown path is 404 "404 page not found"; a known path with the wrong method is 405 with an empty body', async () => {
    const missing = await api('GET', '/nope')
    expect({ status: missing.status, text: missing.text }).toEqual({ status: 404, text: '404 page not found\n' })
    expect((await api('GET', '/proxies/')).status).toBe(404)
    for (const [method, path] of [
      ['DELETE', '/proxies'],
      ['GET', '/reset'],
      ['PUT', '/proxies/p'],
      ['POST', '/version'],
      ['GET', '/populate'],
    ] as const) {
      const response = await api(method, path)
      expect({ method, path, status: response.status, text: response.text }).toEqual({
        method,
        path,
        status: 405,
        text: '',
      })
    }
  })

  it('an unclean path is redirected to the clean one (gorilla/mux)', async () => {
    const response = await api('GET', '/proxies/../version')
    // fetch normalizes dot segments itself; a double slash survives it.
    const doubled = await api('GET', '//proxies')
    expect([response.status, doubled.status, doubled.headers.get('location')]).toEqual([200, 301, '/proxies'])
  })

  it("body errors carry Go decoder messages, in Toxiproxy's check order", async () => {
    await createProxy('p')
    const bad = (body: string) => api('POST', '/proxies/p/toxics', body)
    expectApiError(await bad(''), 400, 'bad request body: EOF')
    expectApiError(await bad('{"type":'), 400, 'bad request body: unexpected EOF')
    expectApiError(
      await bad('{type:1}'),
      400,
      "bad request body: invalid character 't' looking for beginning of object key string",
    )
    expectApiError(
      await bad('{"type":"latency","toxicity":"x"}'),
      400,
      'bad request body: json: cannot unmarshal string into Go struct field ToxicWrapper.toxicity of type float32',
    )
    expectApiError(
      await bad('{"type":"latency","attributes":{"latency":1.5}}'),
      400,
      'bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64',
    )
    expectApiError(
      await bad('{"type":"latency","attributes":{"latency":"5"}}'),
      400,
      'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64',
    )
    expectApiError(
      await bad('{"type":"slicer","attributes":{"delay":1.0}}'),
      400,
      'bad request body: json: cannot unmarshal number 1.0 into Go struct field SlicerToxic.attributes.delay of type int',
    )
    // Stream is checked before type, type before the name clash, the name clash before attributes.
    expectApiError(
      await bad('{"type":"nope","stream":"sideways"}'),
      400,
      'stream was invalid, can be either upstream or downstream',
    )
    expectApiError(await bad('{"type":"down"}'), 400, 'invalid toxic type')
    expectApiError(await bad('{"type":"Latency"}'), 400, 'invalid toxic type')
    await addToxic('p', { name: 'taken', type: 'latency' })
    expectApiError(
      await bad('{"name":"taken","type":"latency","attributes":{"latency":1.5}}'),
      409,
      'toxic already exists',
    )
    expectApiError(
      await api('POST', '/proxies', '[]'),
      400,
      'bad request body: json: cannot unmarshal array into Go value of type toxiproxy.Proxy',
    )
    expectApiError(
      await api('POST', '/proxies', { name: 5 }),
      400,
      'bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string',
    )
    expectApiError(await api('GET', '/proxies/nope/toxics'), 404, 'proxy not found')
    expectApiError(await api('POST', '/proxies/nope/toxics', { type: 'latency' }), 404, 'proxy not found')
    expectApiError(await api('GET', '/proxies/p/toxics/nope'), 404, 'toxic not found')
    expectApiError(await api('PATCH', '/proxies/p/toxics/nope', {}), 404, 'toxic not found')
  })

  it('a stream is matched case-insensitively and stored as written; unknown attribute keys are ignored', async () => {
    await createProxy('p')
    const toxic = await addToxic('p', { type: 'latency', stream: 'Upstream', attributes: { latency: 5, bogus: 'x' } })
    expect(toxic).toEqual({
      attributes: { latency: 5, jitter: 0 },
      name: 'latency_Upstream',
      type: 'latency',
      stream: 'Upstream',
      toxicity: 1,
    })
  })

  it('a toxic update ignores name, type and stream', async () => {
    await createProxy('p')
    await addToxic('p', { name: 'lag', type: 'latency', attributes: { latency: 1 } })
    const updated = await callJson<ToxicJson>(server.url, 'POST', '/proxies/p/toxics/lag', {
      name: 'renamed',
      type: 'bandwidth',
      stream: 'upstream',
      attributes: { latency: 2 },
    })
    expect(updated).toEqual({
      attributes: { latency: 2, jitter: 0 },
      name: 'lag',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
    })
  })

  it('a proxy update is partial (missing fields keep their values) through POST and PATCH', async () => {
    await createProxy('p', { upstream: 'first:1' })
    const patched = await callJson<ProxyJson>(server.url, 'PATCH', '/proxies/p', { upstream: 'second:2' })
    expect(patched).toMatchObject({ name: 'p', upstream: 'second:2', enabled: true })
    expectApiError(
      await api('PATCH', '/proxies/p', '{"enabled":"yes"}'),
      400,
      'bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool',
    )
    expectApiError(await api('PATCH', '/proxies/nope', {}), 404, 'proxy not found')
  })

  it('populate rejects a non-array; an empty populate answers "proxies":[] (Toxiproxy sends null)', async () => {
    const notArray = await api('POST', '/populate', { name: 'x' })
    expect(notArray.status).toBe(400)
    expect(JSON.parse(notArray.text)).toMatchObject({ status: 400, proxies: null })
    expect(JSON.parse(notArray.text).error).toMatch(
      /^bad request body: json: cannot unmarshal object into Go value of type \[\]struct/,
    )
    const empty = await api('POST', '/populate', [])
    expect(empty.status).toBe(201)
    expect(server.embedded ? JSON.parse(empty.text) : {}).toEqual(server.embedded ? { proxies: [] } : {})
  })
})
