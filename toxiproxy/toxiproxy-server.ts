import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { apiDispatcher } from './api-dispatch.js'
import { asApiError } from './api-errors.js'
import { toxiproxyRoutes } from './api-handlers.js'
import { ApiRouter } from './api-router.js'
import { ByteCounters } from './byte-counters.js'
import { CpuContention } from './cpu-contention.js'
import { apiErrorReply, type Reply } from './http-replies.js'
import { PROXY_HOST } from './listen-address.js'
import { MAX_HEADER_BYTES } from './name-limit.js'
import { ProxyCollection } from './proxy-collection.js'
import { PollWindow } from './poll-window.js'
import { nextRequestId } from './request-id.js'
import { DEFAULT_API_PORT } from './version.js'

/** How often a polling server checks whether the machine's CPUs are oversubscribed. */
const CONTENTION_SAMPLE_MS = 250

export interface ToxiproxyServerOptions {
  /** `127.0.0.1` (the default) or `localhost`; the API, like every proxy, listens on 127.0.0.1 only. */
  host?: string
  /** The API port: default 8474 (Toxiproxy's); 0 picks a free port. */
  port?: number
  /** Root seed for toxicity rolls, jitter and slice sizes; random when absent. The server reports the one it used. */
  seed?: number
  /** Serve GET /metrics (Toxiproxy's `-proxy-metrics`): byte counters per proxy and direction. Off by default. */
  metrics?: boolean
  /**
   * How long (µs) the event loop keeps polling after bytes move before it sleeps: a reply within the window is read
   * without a kernel wake-up, which halves the median round trip through a proxy in its own process. Costs CPU while it
   * polls, and is skipped while the machine's CPUs are oversubscribed. Default 0 (off): see `poll-window.ts`.
   */
  pollWindowUs?: number
  /** Where unexpected failures inside the data path are reported (a toxic that threw). Default: stderr. */
  onError?: (error: unknown) => void
}

export interface ToxiproxyServer {
  /** The API base URL, e.g. `http://127.0.0.1:8474`: hand it to `new Toxiproxy(url)`. */
  readonly url: string
  readonly port: number
  readonly seed: number
  /** Stops every proxy (dropping their connections) and the API. */
  close(): Promise<void>
}

/** The API could not listen (port taken, bad host): an environment problem, not a bug. */
export class ToxiproxyListenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ToxiproxyListenError'
  }
}

/**
 * Starts the embedded Toxiproxy-compatible server: Toxiproxy 2.12's HTTP API on `node:http`, and TCP proxies with
 * Toxiproxy's toxics on `node:net`. Drive it with toxiproxy-node-client; a real Toxiproxy can take its place.
 */
export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const host = options.host ?? PROXY_HOST
  if (host !== PROXY_HOST && host !== 'localhost') {
    throw new ToxiproxyListenError(`the Toxiproxy-compatible server listens on ${PROXY_HOST} only; got host "${host}"`)
  }
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
  const reportFailure = options.onError ?? ((error: unknown) => process.stderr.write(`toxiproxy: ${String(error)}\n`))
  const counters = new ByteCounters()
  const pollWindowMs = (options.pollWindowUs ?? 0) / 1000
  const contention = pollWindowMs > 0 ? new CpuContention(CONTENTION_SAMPLE_MS) : null
  const pollWindow = new PollWindow(pollWindowMs, () => contention?.now ?? false)
  const proxies = new ProxyCollection({ counters, seed, pollWindow, reportFailure })
  const router = new ApiRouter(toxiproxyRoutes(proxies, options.metrics === true ? counters : null))
  const dispatch = apiDispatcher(router)

  // Go's header limit rather than Node's 16 KiB: a path carrying names up to MAX_NAME_BYTES must fit.
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    response.setHeader('X-Toxiproxy-Request-Id', nextRequestId())
    dispatch(request).then(
      (reply) => send(response, reply),
      (error: unknown) => send(response, apiErrorReply(asApiError(error))),
    )
  })
  // Toxiproxy's server timeouts: read 15 s, idle 60 s.
  server.requestTimeout = 15_000
  server.headersTimeout = 15_000
  server.keepAliveTimeout = 60_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'bind: address already in use' : error.message
      reject(new ToxiproxyListenError(`listen tcp ${PROXY_HOST}:${options.port ?? DEFAULT_API_PORT}: ${reason}`))
    })
    server.listen({ host: PROXY_HOST, port: options.port ?? DEFAULT_API_PORT }, () => {
      server.removeAllListeners('error')
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  // Sampled only once the server is up: a server that failed to listen leaves no timer behind.
  contention?.start()
  let closing: Promise<void> | null = null
  return {
    url: `http://${PROXY_HOST}:${port}`,
    port,
    seed,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        pollWindow.stop()
        contention?.stop()
        proxies.stopAll()
        server.close(() => resolve())
        server.closeAllConnections()
      })),
  }
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.headersSent) return
  response.writeHead(reply.status, reply.headers)
  response.end(reply.body)
}
