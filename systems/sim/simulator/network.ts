import type { Simulator, TimerHandle } from './simulator.js'
import type { SeededRandom } from '../../../core/random/seeded-random.js'

/** A network endpoint: a node name, or `clients` for every client process. */
export type Endpoint = string

export interface LinkLatency {
  /** Mean one-way latency in nanoseconds. */
  meanNs: number
  /** Uniform jitter added on top, in nanoseconds (0 … jitterNs). */
  jitterNs: number
}

/** One side of a simulated TCP connection. The owner sets the handlers. */
export interface Port<M> {
  readonly local: Endpoint
  readonly remote: Endpoint
  readonly isOpen: boolean
  send(message: M): void
  close(): void
  onMessage: (message: M) => void
  onClose: () => void
}

type ConnectResult<M> = { ok: true; port: Port<M> } | { ok: false; reason: 'refused' | 'timeout' }

/** Accepts an incoming connection; returns false to refuse it (nothing is listening). */
export type Listener<M> = (port: Port<M>) => boolean

interface Direction<M> {
  from: Endpoint
  to: Endpoint
  /** `linkKey(from, to)`, made once: every message looks its link up. */
  link: string
  /** Virtual time at which the last message sent this way is delivered: TCP keeps a stream in order. */
  lastDeliveryAt: number
  /** Messages sent while the link was cut; TCP retransmits them once it heals. */
  stalled: M[]
  receiver: PortImpl<M>
  /** False once either side closed: nothing new is sent this way. */
  accepting: boolean
  /** True when what is in flight this way is lost (the receiver closed, or a process died or was reset). */
  dropped: boolean
}

class PortImpl<M> implements Port<M> {
  onMessage: (message: M) => void = () => {}
  onClose: () => void = () => {}
  outbound!: Direction<M>

  constructor(
    readonly connection: Connection<M>,
    readonly local: Endpoint,
    readonly remote: Endpoint,
  ) {}

  get isOpen(): boolean {
    return this.connection.open
  }

  send(message: M): void {
    this.connection.network.transmit(this.connection, this.outbound, message)
  }

  close(): void {
    this.connection.network.closeConnection(this.connection, this)
  }
}

class Connection<M> {
  open = true
  a!: PortImpl<M>
  b!: PortImpl<M>
  constructor(readonly network: SimNetwork<M>) {}
}

const CONNECT_TIMEOUT_NS = 2_000_000_000

/**
 * A simulated network of ordered streams. Delivery per direction is in order with latency and jitter; a cut link
 * (one-way or both ways) stalls a stream until healed, as TCP retransmission would; a reset or a killed endpoint
 * closes connections, and their undelivered messages are lost.
 */
export class SimNetwork<M> {
  private readonly listeners = new Map<Endpoint, Listener<M>>()
  private readonly latencies = new Map<string, LinkLatency>()
  private readonly cut = new Set<string>()
  private readonly connections = new Set<Connection<M>>()

  constructor(
    private readonly sim: Simulator,
    private readonly random: SeededRandom,
    private readonly defaultLatency: LinkLatency = { meanNs: 100_000, jitterNs: 50_000 },
  ) {}

  listen(endpoint: Endpoint, listener: Listener<M>): void {
    this.listeners.set(endpoint, listener)
  }

  unlisten(endpoint: Endpoint): void {
    this.listeners.delete(endpoint)
  }

  /** Sets the one-way latency from `from` to `to`. */
  setLatency(from: Endpoint, to: Endpoint, latency: LinkLatency): void {
    this.latencies.set(linkKey(from, to), latency)
  }

  clearLatencies(): void {
    this.latencies.clear()
  }

  /** Cuts the link from `from` to `to` (one way). */
  cutLink(from: Endpoint, to: Endpoint): void {
    this.cut.add(linkKey(from, to))
  }

  isCut(from: Endpoint, to: Endpoint): boolean {
    return this.cut.has(linkKey(from, to))
  }

  /** Heals every cut link; stalled streams resume in order. */
  healAll(): void {
    this.cut.clear()
    for (const connection of this.connections) {
      this.resume(connection, connection.a.outbound)
      this.resume(connection, connection.b.outbound)
    }
  }

  /** Closes every connection between the two endpoints (a TCP reset). */
  reset(a: Endpoint, b: Endpoint): void {
    for (const connection of [...this.connections]) {
      const ends = [connection.a.local, connection.b.local]
      if (ends.includes(a) && ends.includes(b)) this.closeConnection(connection, null)
    }
  }

  /** Closes every connection of an endpoint at once (its process died; the kernel resets its sockets). */
  closeAllOf(endpoint: Endpoint): void {
    for (const connection of [...this.connections]) {
      if (connection.a.local === endpoint || connection.b.local === endpoint) this.closeConnection(connection, null)
    }
  }

  /** Opens a connection; `done` is called in a later event with the local port or the reason it failed. */
  connect(from: Endpoint, to: Endpoint, done: (result: ConnectResult<M>) => void): void {
    if (this.isCut(from, to) || this.isCut(to, from)) {
      this.sim.schedule(CONNECT_TIMEOUT_NS, () => done({ ok: false, reason: 'timeout' }))
      return
    }
    const roundTrip = this.delay(from, to) + this.delay(to, from)
    this.sim.schedule(roundTrip, () => {
      const listener = this.listeners.get(to)
      if (!listener) return done({ ok: false, reason: 'refused' })
      const connection = new Connection<M>(this)
      const a = new PortImpl<M>(connection, from, to)
      const b = new PortImpl<M>(connection, to, from)
      a.outbound = newDirection(from, to, b)
      b.outbound = newDirection(to, from, a)
      connection.a = a
      connection.b = b
      this.connections.add(connection)
      if (!listener(b)) {
        this.connections.delete(connection)
        connection.open = false
        return done({ ok: false, reason: 'refused' })
      }
      done({ ok: true, port: a })
    })
  }

  /** @internal */
  transmit(connection: Connection<M>, direction: Direction<M>, message: M): void {
    if (!direction.accepting) return
    if (this.cut.has(direction.link) || direction.stalled.length > 0) {
      direction.stalled.push(message)
      return
    }
    this.deliver(connection, direction, message)
  }

  /**
   * @internal A close by one side (`closedBy`) is graceful: what it already sent still arrives, then the peer sees the
   * FIN; what was on its way to the closer is lost. A close with no closer (a dead process, a reset) loses everything in
   * flight and both sides see it one latency later.
   */
  closeConnection(connection: Connection<M>, closedBy: PortImpl<M> | null): void {
    if (!connection.open) return
    connection.open = false
    this.connections.delete(connection)
    for (const port of [connection.a, connection.b]) {
      port.outbound.accepting = false
      if (closedBy === null || port !== closedBy) port.outbound.dropped = true
    }
    for (const port of [connection.a, connection.b]) {
      if (port === closedBy) continue
      const inbound = port.connection.a === port ? port.connection.b.outbound : port.connection.a.outbound
      const at = Math.max(
        inbound.dropped ? 0 : inbound.lastDeliveryAt,
        this.sim.now() + this.delay(port.remote, port.local),
      )
      this.sim.schedule(at - this.sim.now(), () => port.onClose())
    }
  }

  private deliver(connection: Connection<M>, direction: Direction<M>, message: M): void {
    const at = Math.max(direction.lastDeliveryAt, this.sim.now() + this.delayOn(direction.link))
    direction.lastDeliveryAt = at
    this.sim.schedule(at - this.sim.now(), () => {
      if (!direction.dropped) direction.receiver.onMessage(message)
    })
  }

  private resume(connection: Connection<M>, direction: Direction<M>): void {
    if (direction.dropped) return
    const stalled = direction.stalled.splice(0)
    for (const message of stalled) this.deliver(connection, direction, message)
  }

  private delay(from: Endpoint, to: Endpoint): number {
    return this.delayOn(linkKey(from, to))
  }

  private delayOn(link: string): number {
    const latency = this.latencies.get(link) ?? this.defaultLatency
    return latency.meanNs + (latency.jitterNs > 0 ? this.random.int(0, latency.jitterNs) : 0)
  }
}

function newDirection<M>(from: Endpoint, to: Endpoint, receiver: PortImpl<M>): Direction<M> {
  return {
    from,
    to,
    link: linkKey(from, to),
    lastDeliveryAt: 0,
    stalled: [],
    receiver,
    accepting: true,
    dropped: false,
  }
}

function linkKey(from: Endpoint, to: Endpoint): string {
  return `${from}>${to}`
}

export type { ConnectResult, TimerHandle }
