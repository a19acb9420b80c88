import { connect, type Socket } from 'node:net'
import type { ByteCounter } from './byte-counters.js'
import type { Direction } from './direction.js'
import { parsePort, splitHostPort } from './host-port.js'
import type { PollWindow } from './poll-window.js'
import type { ToxicCollection } from './toxic-collection.js'
import { ToxicLink } from './toxic-link.js'
import type { ToxicRandom } from './toxics/toxic-kind.js'

/** What a connection needs from its proxy. */
export interface ConnectionContext {
  readonly upstream: string
  readonly toxics: ToxicCollection
  counterFor(direction: Direction): ByteCounter
  randomFor(direction: Direction): ToxicRandom
  readonly pollWindow: PollWindow
  closed(connection: ProxyConnection): void
  /** A toxic threw: report it (the connection is torn down). */
  reportFailure(error: unknown): void
}

/** Go's default TCP keep-alive on dialled and accepted connections. */
const KEEP_ALIVE_MS = 15_000

/**
 * One accepted client and its upstream connection, joined by two links (client → upstream and upstream → client). The
 * upstream is dialled when the client is accepted, without blocking other accepts; until it answers the client is not
 * read. A failed dial closes the client, which sees an accepted connection and then EOF.
 */
export class ProxyConnection {
  private upstream: Socket | null = null
  private links: ToxicLink[] = []
  /** Once set, sockets close with RST (SO_LINGER 0): reset_peer was in the chain at connect, or it fired. */
  private resetArmed = false
  private openSockets = 1
  private tornDown = false

  constructor(
    private readonly client: Socket,
    private readonly context: ConnectionContext,
  ) {
    client.on('error', ignoreSocketError)
    client.once('close', () => this.socketClosed())
    this.dial()
  }

  /** Closes both sockets now (the proxy was disabled, deleted or moved); peers see EOF, or RST once armed. */
  close(): void {
    if (this.tornDown) return
    for (const socket of [this.client, this.upstream]) {
      if (socket === null || socket.destroyed) continue
      if (this.resetArmed && !socket.connecting) socket.resetAndDestroy()
      else socket.destroy()
    }
    this.tearDown()
  }

  private dial(): void {
    let host: string
    let port: number
    try {
      const split = splitHostPort(this.context.upstream)
      host = split.host === '' ? 'localhost' : split.host
      port = parsePort(split.port)
    } catch {
      this.client.destroy()
      return
    }
    const upstream = connect({ host, port, allowHalfOpen: true, noDelay: true })
    this.upstream = upstream
    this.openSockets++
    upstream.on('error', ignoreSocketError)
    upstream.once('close', () => this.socketClosed())
    upstream.once('connect', () => this.startLinks(upstream))
  }

  private startLinks(upstream: Socket): void {
    if (this.tornDown || this.client.destroyed) return
    this.client.setKeepAlive(true, KEEP_ALIVE_MS)
    upstream.setKeepAlive(true, KEEP_ALIVE_MS)
    const toxics = this.context.toxics
    this.resetArmed = toxics.hasResetPeer()
    this.links = [this.link('upstream', this.client, upstream), this.link('downstream', upstream, this.client)]
    for (const link of this.links) toxics.attach(link)
    for (const link of this.links) link.start()
  }

  private link(direction: Direction, source: Socket, dest: Socket): ToxicLink {
    return new ToxicLink(
      {
        direction,
        source,
        dest,
        counter: this.context.counterFor(direction),
        pollWindow: this.context.pollWindow,
        random: () => this.context.randomFor(direction),
        closeSocket: (socket) => this.closeSocket(socket),
        armReset: () => {
          this.resetArmed = true
        },
        abort: (reason) => {
          this.context.reportFailure(reason)
          this.close()
        },
      },
      this.context.toxics.chain(direction),
    )
  }

  /** Toxiproxy's Close(): pending writes are flushed, then the socket is closed for good (no half-close). */
  private closeSocket(socket: Socket): void {
    if (socket.destroyed) return
    if (this.resetArmed) {
      socket.resetAndDestroy()
      return
    }
    socket.end()
    if (socket.writableFinished) socket.destroy()
    else socket.once('finish', () => socket.destroy())
  }

  private socketClosed(): void {
    this.openSockets--
    // Before the links exist, either socket closing (a failed dial, a client that gave up) ends the other.
    if (this.links.length === 0) {
      this.client.destroy()
      this.upstream?.destroy()
    }
    if (this.openSockets === 0) this.tearDown()
  }

  private tearDown(): void {
    if (this.tornDown) return
    this.tornDown = true
    for (const link of this.links) {
      this.context.toxics.detach(link)
      link.dispose()
    }
    this.context.closed(this)
  }
}

function ignoreSocketError(): void {
  // Resets and refused dials surface as 'close'; the links treat that as the end of the stream.
}
