import { atDeadline, type DeadlineTimer } from './deadline-timer.js'
import {
  END_OF_STREAM,
  itemBytes,
  StreamItemQueue,
  type Stage,
  type StreamChunk,
  type StreamItem,
} from './stream-chunk.js'
import type { Toxic } from './toxic.js'
import { noopToxic } from './toxics/noop.js'
import { INTERRUPTED, TIMED_OUT, type ToxicRandom, type ToxicStubPort } from './toxics/toxic-kind.js'

/** What a stub needs from the link it sits in. */
export interface StubHost {
  readonly random: ToxicRandom
  /** The stub's queue went over its limit (true) or back under it (false): the link pauses or resumes its source. */
  stubBlocked(blocked: boolean): void
  /** Rolls the toxicity dice: true means run the toxic, false means run a noop on this link. */
  rollToxicity(toxicity: number): boolean
  /** From now on the connection closes with RST rather than FIN. */
  armReset(): void
  /** The stub has drained and leaves the chain. */
  unlink(stub: ToxicStub): void
  /** A toxic threw: a bug, so the connection is torn down rather than left half-working. */
  failed(error: unknown): void
}

type Interrupt = 'update' | 'remove'

interface PendingRead {
  resolve(item: StreamItem | typeof INTERRUPTED | typeof TIMED_OUT): void
  timer: DeadlineTimer | null
}

interface PendingSleep {
  resolve(completed: boolean): void
  timer: DeadlineTimer | null
  interruptible: boolean
}

/**
 * One toxic running on one link (Go's ToxicStub): an input queue, the toxic's pipe reading from it, and the next stage.
 * An update interrupts the pipe and re-runs it with the new attributes (rolling toxicity again); a removal interrupts
 * it, passes on whatever is still queued (or closes the connection, for `timeout`) and unlinks the stub.
 */
export class ToxicStub implements Stage, ToxicStubPort {
  next: Stage
  attributes: Readonly<Record<string, number>> = {}
  state: unknown = undefined
  private readonly queue = new StreamItemQueue()
  private queuedBytes = 0
  private blocked = false
  private interrupt: Interrupt | null = null
  private pendingRead: PendingRead | null = null
  private pendingSleep: PendingSleep | null = null
  private bypass = false
  private running = false
  private closed = false
  private disposed = false

  constructor(
    readonly toxic: Toxic,
    private readonly host: StubHost,
    next: Stage,
  ) {
    this.next = next
  }

  get random(): ToxicRandom {
    return this.host.random
  }

  start(): void {
    this.bypass = !this.host.rollToxicity(this.toxic.toxicity)
    void this.run()
  }

  requestUpdate(): void {
    if (this.closed || this.disposed) return
    this.interruptWith('update')
  }

  requestRemoval(): void {
    if (this.disposed) return
    if (!this.running) {
      this.finishRemoval()
      return
    }
    this.interruptWith('remove')
  }

  /** The connection is gone: stop every timer and wait, drop what is queued. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.releaseQueue()
    this.wake(true)
  }

  push(item: StreamItem): void {
    if (this.closed || this.disposed) return
    this.queue.push(item)
    this.queuedBytes += itemBytes(item)
    this.updateBlocked()
    const read = this.pendingRead
    if (read === null) return
    this.pendingRead = null
    read.timer?.cancel()
    read.resolve(this.take() as StreamItem)
  }

  readNow(): StreamItem | typeof INTERRUPTED | undefined {
    if (this.interrupt !== null || this.disposed) return INTERRUPTED
    return this.take()
  }

  read(timeoutMs?: number): Promise<StreamItem | typeof INTERRUPTED | typeof TIMED_OUT> {
    const now = this.readNow()
    if (now !== undefined) return Promise.resolve(now)
    return new Promise((resolve) => {
      const pending: PendingRead = { resolve, timer: null }
      if (timeoutMs !== undefined) {
        pending.timer = atDeadline(performance.now() + timeoutMs, () => {
          this.pendingRead = null
          resolve(TIMED_OUT)
        })
      }
      this.pendingRead = pending
    })
  }

  unread(item: StreamItem): void {
    this.queue.unshift(item)
    this.queuedBytes += itemBytes(item)
    this.updateBlocked()
  }

  sleep(ms: number): Promise<boolean> {
    return this.sleepUntil(performance.now() + ms)
  }

  sleepUntil(deadline: number): Promise<boolean> {
    return this.wait(deadline, true)
  }

  async sleepThroughInterrupts(ms: number): Promise<void> {
    await this.wait(performance.now() + ms, false)
  }

  async waitForInterrupt(): Promise<void> {
    await this.wait(Infinity, true)
  }

  emit(chunk: StreamChunk): void {
    if (!this.closed && !this.disposed) this.next.push(chunk)
  }

  close(): void {
    if (this.closed || this.disposed) return
    this.closed = true
    this.releaseQueue()
    this.next.push(END_OF_STREAM)
  }

  resetPeer(): void {
    if (this.closed || this.disposed) return
    this.host.armReset()
    this.close()
  }

  private async run(): Promise<void> {
    this.running = true
    try {
      for (;;) {
        this.attributes = { ...this.toxic.attributes }
        await (this.bypass ? noopToxic : this.toxic.kind).pipe(this)
        const interrupt = this.interrupt
        this.interrupt = null
        if (interrupt === 'remove') return this.finishRemoval()
        if (this.closed || this.disposed) return
        // A pipe only returns when interrupted or after closing; anything else would spin, so end the stream.
        if (interrupt === null) return this.close()
        // Toxiproxy re-rolls toxicity whenever it re-runs a stub; here only an update of this toxic re-runs it.
        this.bypass = !this.host.rollToxicity(this.toxic.toxicity)
      }
    } catch (error) {
      this.host.failed(error)
    } finally {
      this.running = false
    }
  }

  /** Passes on what is queued (nothing is lost or reordered), or closes the link for a `timeout`; then unlinks. */
  private finishRemoval(): void {
    if (!this.closed && !this.disposed) {
      if (this.toxic.kind.closesOnRemove) {
        this.close()
      } else {
        for (let item = this.take(); item !== undefined; item = this.take()) {
          this.next.push(item)
          if (item === END_OF_STREAM) {
            this.closed = true
            break
          }
        }
      }
    }
    this.releaseQueue()
    this.host.unlink(this)
  }

  private interruptWith(kind: Interrupt): void {
    // A removal wins over an update that has not been handled yet.
    this.interrupt = kind === 'remove' || this.interrupt === 'remove' ? 'remove' : 'update'
    this.wake(false)
  }

  /** Ends a pending read or sleep early: interruptible ones always, uninterruptible ones only when disposing. */
  private wake(disposing: boolean): void {
    const read = this.pendingRead
    if (read !== null) {
      this.pendingRead = null
      read.timer?.cancel()
      read.resolve(INTERRUPTED)
    }
    const sleep = this.pendingSleep
    if (sleep !== null && (sleep.interruptible || disposing)) {
      this.pendingSleep = null
      sleep.timer?.cancel()
      sleep.resolve(false)
    }
  }

  private wait(deadline: number, interruptible: boolean): Promise<boolean> {
    if (this.disposed || (interruptible && this.interrupt !== null)) return Promise.resolve(false)
    if (deadline <= performance.now()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const pending: PendingSleep = { resolve, timer: null, interruptible }
      if (deadline !== Infinity) {
        pending.timer = atDeadline(deadline, () => {
          this.pendingSleep = null
          resolve(true)
        })
      }
      this.pendingSleep = pending
    })
  }

  private take(): StreamItem | undefined {
    const item = this.queue.shift()
    if (item === undefined) return undefined
    this.queuedBytes -= itemBytes(item)
    this.updateBlocked()
    return item
  }

  private releaseQueue(): void {
    this.queue.clear()
    this.queuedBytes = 0
    this.updateBlocked()
  }

  private updateBlocked(): void {
    const limit = this.toxic.kind.queueLimit
    const over = this.queuedBytes > limit.bytes || this.queue.length > limit.chunks
    if (over === this.blocked) return
    this.blocked = over
    this.host.stubBlocked(over)
  }
}
