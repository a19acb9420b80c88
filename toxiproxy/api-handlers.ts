import { asApiError } from './api-errors.js'
import type { ApiRequest, Route } from './api-router.js'
import type { ByteCounters } from './byte-counters.js'
import { goJsonString } from './go-json-encoder.js'
import { emptyReply, jsonReply, type Reply } from './http-replies.js'
import { decodePopulate, decodeProxyCreate, decodeProxyUpdate } from './proxy-bodies.js'
import type { ProxyCollection } from './proxy-collection.js'
import type { Proxy } from './proxy.js'
import { TOXIPROXY_VERSION } from './version.js'

/**
 * Toxiproxy's HTTP API (api.go Routes): the endpoints, their success statuses (201 for create and populate, 200 for a
 * new toxic, 204 for deletes and reset) and bodies. A thrown ApiError becomes the error reply; anything else a 500.
 */
export function toxiproxyRoutes(proxies: ProxyCollection, metrics: ByteCounters | null): Route[] {
  const proxyOf = (request: ApiRequest): Proxy => proxies.get(param(request, 'proxy'))
  const routes: Route[] = [
    {
      pattern: '/reset',
      methods: {
        POST: async () => {
          for (const proxy of proxies.sorted()) {
            if (!proxy.enabled) await proxy.start()
            proxy.toxics.reset()
          }
          return emptyReply(204)
        },
      },
    },
    {
      pattern: '/proxies',
      methods: {
        GET: () => jsonReply(200, proxyIndexJson(proxies.sorted())),
        POST: async (request) => jsonReply(201, (await proxies.create(decodeProxyCreate(request.body))).toJson()),
      },
    },
    {
      pattern: '/populate',
      methods: { POST: (request) => populate(proxies, request.body) },
    },
    {
      pattern: '/proxies/{proxy}',
      methods: {
        GET: (request) => jsonReply(200, proxyOf(request).toJson()),
        POST: (request) => updateProxy(proxyOf(request), request.body),
        PATCH: (request) => updateProxy(proxyOf(request), request.body),
        DELETE: (request) => {
          proxies.remove(param(request, 'proxy'))
          return emptyReply(204)
        },
      },
    },
    {
      pattern: '/proxies/{proxy}/toxics',
      methods: {
        GET: (request) => jsonReply(200, jsonList(proxyOf(request).toxics.list())),
        POST: (request) => jsonReply(200, proxyOf(request).toxics.addFromJson(request.body).toJson()),
      },
    },
    {
      pattern: '/proxies/{proxy}/toxics/{toxic}',
      methods: {
        GET: (request) => jsonReply(200, proxyOf(request).toxics.get(param(request, 'toxic')).toJson()),
        POST: (request) => updateToxic(proxyOf(request), request),
        PATCH: (request) => updateToxic(proxyOf(request), request),
        DELETE: (request) => {
          proxyOf(request).toxics.remove(param(request, 'toxic'))
          return emptyReply(204)
        },
      },
    },
    {
      pattern: '/version',
      // Exactly Toxiproxy's bytes: a space after the colon and a trailing newline.
      methods: { GET: () => jsonReply(200, `{"version": "${TOXIPROXY_VERSION}"}\n`, 'application/json;charset=utf-8') },
    },
  ]
  if (metrics !== null) {
    // Registered only when metrics are on, for any method, as Toxiproxy's -proxy-metrics does.
    routes.push({
      pattern: '/metrics',
      methods: { '*': () => jsonReply(200, metrics.prometheusText(), 'text/plain; version=0.0.4; charset=utf-8') },
    })
  }
  return routes
}

async function updateProxy(proxy: Proxy, body: string): Promise<Reply> {
  const fields = decodeProxyUpdate(body, {
    name: proxy.name,
    listen: proxy.listen,
    upstream: proxy.upstream,
    enabled: proxy.enabled,
  })
  await proxy.update(fields)
  return jsonReply(200, proxy.toJson())
}

function updateToxic(proxy: Proxy, request: ApiRequest): Reply {
  return jsonReply(200, proxy.toxics.updateFromJson(param(request, 'toxic'), request.body).toJson())
}

function param(request: ApiRequest, name: 'proxy' | 'toxic'): string {
  return request.params[name] ?? ''
}

function jsonList(items: ReadonlyArray<{ toJson(): string }>): string {
  return `[${items.map((item) => item.toJson()).join(',')}]`
}

/** GET /proxies: an object keyed by name, in the given (sorted) order. */
function proxyIndexJson(proxies: readonly Proxy[]): string {
  return `{${proxies.map((proxy) => `${goJsonString(proxy.name)}:${proxy.toJson()}`).join(',')}}`
}

/**
 * Populate answers with its own body, also on errors: `{"error","status","proxies":[…created so far]}` as JSON (not
 * Toxiproxy's usual text/plain error). With nothing handled Toxiproxy sends `"proxies":null`; a successful empty
 * populate sends `[]` here, because toxiproxy-node-client throws on `null`.
 */
async function populate(proxies: ProxyCollection, body: string): Promise<Reply> {
  let outcome: Awaited<ReturnType<ProxyCollection['populate']>>
  try {
    outcome = await proxies.populate(decodePopulate(body))
  } catch (error) {
    outcome = { proxies: [], error: asApiError(error) }
  }
  const list = jsonList(outcome.proxies)
  if (outcome.error === null) return jsonReply(201, `{"proxies":${list}}`)
  const { message, status } = outcome.error
  const proxiesJson = outcome.proxies.length === 0 ? 'null' : list
  return jsonReply(status, `{"error":${goJsonString(message)},"status":${status},"proxies":${proxiesJson}}`)
}
