import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { SeededRandom } from '../core/random/seeded-random.js'
import type { ByteCounters } from './byte-counters.js'
import { goJsonString } from './go-json-encoder.js'
import { PROXY_HOST, resolveListenAddress, type ListenAddress } from './listen-address.js'
import type { PollWindow } from './poll-window.js'
import { ProxyConnection } from './proxy-connection.js'
import { ToxicCollection } from './toxic-collection.js'

/** What every proxy of a server shares. */
export interface ProxyEnvironment {
  readonly counters: ByteCounters
  /** Root seed of the per-link random streams (toxicity rolls, jitter, slice sizes). */
  readonly seed: number
  /** Told of every chunk that moves, so the loop keeps polling a moment before it sleeps. */
  readonly pollWindow: PollWindow
  reportFailure(error: unknown): void
}

export class ProxyAlreadyStartedError extends Error {
  constructor(name: string) {
    super(`Proxy already started: ${name}`)
    this.name = 'ProxyAlreadyStartedError'
  }
}

const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
}

/**
 * One proxy: a listener on 127.0.0.1 and the connections it accepted (Go's Proxy). Enabled means listening. Stopping
 * closes the listener (new connects are refused) and every connection (peers see EOF); toxics are kept.
 */
export class Proxy {
  readonly toxics = new ToxicCollection()
  enabled = false
  private server: Server | null = null
  private readonly connections = new Set<ProxyConnection>()
  private accepted = 0

  constructor(
    readonly name: string,
    /** The bound address while enabled (`127.0.0.1:NNNN`); otherwise the last bound address, or what was asked for. */
    public listen: string,
    /** Stored verbatim; resolved and dialled only when a client connects. */
    public upstream: string,
    private readonly environment: ProxyEnvironment,
  ) {}

  get connectionCount(): number {
    return this.connections.size
  }

  async start(): Promise<void> {
    if (this.enabled) throw new ProxyAlreadyStartedError(this.name)
    const address = await resolveListenAddress(this.listen)
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (client) =>
      this.accept(client),
    )
    await listen(server, address)
    server.on('error', (error) =>
      this.environment.reportFailure(new Error(`proxy ${this.name}: accept failed: ${error.message}`)),
    )
    this.server = server
    this.listen = `${PROXY_HOST}:${(server.address() as AddressInfo).port}`
    this.enabled = true
  }

  stop(): void {
    if (!this.enabled) return
    this.enabled = false
    this.server?.close()
    this.server = null
    for (const connection of [...this.connections]) connection.close()
    this.connections.clear()
  }

  /**
   * Toxiproxy's Update: if the resolved listen or the upstream changed, stop (dropping every connection) and take the
   * new values; then apply `enabled`. A listen that resolves to the current address (`localhost:N` for
   * `127.0.0.1:N`) is no change, so connections survive.
   */
  async update(input: { listen: string; upstream: string; enabled: boolean }): Promise<void> {
    const resolved = await resolveListenAddress(input.listen)
    if (resolved.text !== this.listen || input.upstream !== this.upstream) {
      this.stop()
      this.listen = input.listen
      this.upstream = input.upstream
    }
    if (input.enabled === this.enabled) return
    if (input.enabled) await this.start()
    else this.stop()
  }

  /** `{"name","listen","upstream","enabled","toxics":[…]}` (Toxiproxy's stray `"Logger":{}` is left out). */
  toJson(): string {
    const toxics = this.toxics.list().map((toxic) => toxic.toJson())
    return (
      `{"name":${goJsonString(this.name)},"listen":${goJsonString(this.listen)},` +
      `"upstream":${goJsonString(this.upstream)},"enabled":${this.enabled},"toxics":[${toxics.join(',')}]}`
    )
  }

  private accept(client: Socket): void {
    const sequence = ++this.accepted
    const listener = this.listen
    const upstream = this.upstream
    const connection = new ProxyConnection(client, {
      upstream,
      toxics: this.toxics,
      counterFor: (direction) =>
        this.environment.counters.counterFor({ direction, proxy: this.name, listener, upstream }),
      // One stream per link, named after the proxy and the accept order, so a seed replays the same rolls.
      randomFor: (direction) => new SeededRandom(this.environment.seed, `${this.name}#${sequence}/${direction}`),
      pollWindow: this.environment.pollWindow,
      closed: (closed) => this.connections.delete(closed),
      reportFailure: (error) => this.environment.reportFailure(error),
    })
    this.connections.add(connection)
  }
}

function listen(server: Server, address: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = BIND_ERRORS[error.code ?? ''] ?? error.message
      reject(new Error(`listen tcp ${address.text}: bind: ${reason}`))
    })
    server.listen({ host: PROXY_HOST, port: address.port }, () => {
      server.removeAllListeners('error')
      resolve()
    })
  })
}
