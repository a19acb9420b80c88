import type { Socket } from 'node:net'
import type { ByteCounter } from './byte-counters.js'
import type { Direction } from './direction.js'
import type { PollWindow } from './poll-window.js'
import { END_OF_STREAM, type Stage, type StreamItem } from './stream-chunk.js'
import type { Toxic } from './toxic.js'
import { ToxicStub, type StubHost } from './toxic-stub.js'
import type { ToxicRandom } from './toxics/toxic-kind.js'

/** What a link needs from its connection. */
export interface LinkContext {
  readonly direction: Direction
  readonly source: Socket
  readonly dest: Socket
  readonly counter: ByteCounter
  readonly pollWindow: PollWindow
  random(): ToxicRandom
  /** Closes a socket the way this connection closes sockets: FIN after pending writes, or RST once armed. */
  closeSocket(socket: Socket): void
  armReset(): void
  abort(reason: unknown): void
}

/**
 * One direction of one proxied connection (Go's ToxicLink): reads `source`, runs the chunks through this direction's
 * toxics in insertion order, writes `dest`. With no toxics, chunks go straight from the source's 'data' event to
 * `dest.write` (no per-chunk allocation or timestamp) with ordinary stream back-pressure. The end of the source ends
 * the chain; when it reaches the end, `dest` is closed outright: like Toxiproxy, there is no TCP half-close.
 */
export class ToxicLink implements StubHost {
  private stubs: ToxicStub[] = []
  private readonly sink: Stage = { push: (item: StreamItem) => this.deliver(item) }
  private readonly source: Socket
  private readonly dest: Socket
  private readonly counter: ByteCounter
  private readonly pollWindow: PollWindow
  private cachedRandom: ToxicRandom | null = null
  private destBlocked = false
  private blockedStubs = 0
  private sourcePaused = false
  private sourceEnded = false
  private finished = false

  constructor(
    private readonly context: LinkContext,
    toxics: readonly Toxic[],
  ) {
    this.source = context.source
    this.dest = context.dest
    this.counter = context.counter
    this.pollWindow = context.pollWindow
    this.stubs = toxics.map((toxic) => new ToxicStub(toxic, this, this.sink))
    this.relink()
  }

  get direction(): Direction {
    return this.context.direction
  }

  get random(): ToxicRandom {
    return (this.cachedRandom ??= this.context.random())
  }

  start(): void {
    for (const stub of this.stubs) stub.start()
    this.dest.on('drain', this.onDrain)
    this.source.on('data', this.onData)
    this.source.on('end', this.onSourceEnd)
    this.source.on('close', this.onSourceEnd)
    this.source.resume()
  }

  addToxic(toxic: Toxic): void {
    if (this.finished) return
    const stub = new ToxicStub(toxic, this, this.sink)
    this.stubs.push(stub)
    this.relink()
    stub.start()
  }

  updateToxic(toxic: Toxic): void {
    this.stubs.find((stub) => stub.toxic === toxic)?.requestUpdate()
  }

  removeToxic(toxic: Toxic): void {
    this.stubs.find((stub) => stub.toxic === toxic)?.requestRemoval()
  }

  dispose(): void {
    for (const stub of this.stubs) stub.dispose()
    this.stubs = []
  }

  stubBlocked(blocked: boolean): void {
    this.blockedStubs += blocked ? 1 : -1
    this.updateFlow()
  }

  rollToxicity(toxicity: number): boolean {
    if (toxicity >= 1) return true
    if (toxicity <= 0) return false
    return this.random.float() < toxicity
  }

  armReset(): void {
    this.context.armReset()
  }

  unlink(stub: ToxicStub): void {
    const index = this.stubs.indexOf(stub)
    if (index < 0) return
    this.stubs.splice(index, 1)
    this.relink()
  }

  failed(error: unknown): void {
    this.context.abort(error)
  }

  private readonly onData = (data: Buffer): void => {
    this.counter.received += data.length
    this.pollWindow.touch()
    const first = this.stubs[0]
    if (first !== undefined) {
      first.push({ data, timestamp: performance.now() })
      return
    }
    // The no-toxic path: one write per read, paused while the destination is full.
    if (this.finished || this.dest.destroyed) return
    this.counter.sent += data.length
    if (!this.dest.write(data)) {
      this.destBlocked = true
      this.updateFlow()
    }
  }

  private readonly onSourceEnd = (): void => {
    if (this.sourceEnded) return
    this.sourceEnded = true
    ;(this.stubs[0] ?? this.sink).push(END_OF_STREAM)
  }

  private readonly onDrain = (): void => {
    if (!this.destBlocked) return
    this.destBlocked = false
    this.updateFlow()
  }

  private deliver(item: StreamItem): void {
    if (item === END_OF_STREAM) {
      if (this.finished) return
      this.finished = true
      this.context.closeSocket(this.dest)
      return
    }
    if (this.finished || this.dest.destroyed) return
    this.counter.sent += item.data.length
    this.pollWindow.touch()
    if (!this.dest.write(item.data) && !this.destBlocked) {
      this.destBlocked = true
      this.updateFlow()
    }
  }

  /** Reading pauses while the destination or any toxic's queue is over its limit: TCP back-pressure to the sender. */
  private updateFlow(): void {
    const hold = this.destBlocked || this.blockedStubs > 0
    if (hold === this.sourcePaused) return
    this.sourcePaused = hold
    if (hold) this.source.pause()
    else if (!this.source.destroyed) this.source.resume()
  }

  private relink(): void {
    for (let i = 0; i < this.stubs.length; i++) (this.stubs[i] as ToxicStub).next = this.stubs[i + 1] ?? this.sink
  }
}
