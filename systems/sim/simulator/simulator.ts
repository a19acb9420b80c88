import { EventQueue, type SimEvent } from './event-queue.js'
import { RandomStreams, type SeededRandom } from '../../../core/random/seeded-random.js'

/** A handle to cancel a scheduled event. */
export type TimerHandle = SimEvent

/**
 * The deterministic simulator: virtual time in integer nanoseconds and an event queue. Nothing here reads the wall
 * clock or real randomness; all randomness comes from seeded streams.
 */
export class Simulator {
  private readonly queue = new EventQueue()
  private seq = 0
  private time = 0
  private processed = 0
  /** Set by {@link wakeAsync}: an event resolved a promise, so async code (runner, clients) must get to run. */
  private asyncWoken = false
  readonly random: RandomStreams

  constructor(readonly seed: number) {
    this.random = new RandomStreams(seed)
  }

  now(): number {
    return this.time
  }

  get eventsProcessed(): number {
    return this.processed
  }

  get pendingEvents(): number {
    return this.queue.size
  }

  stream(name: string): SeededRandom {
    return this.random.stream(name)
  }

  /** Runs `run` after `delayNs` of virtual time (0 = after the events already due now). */
  schedule(delayNs: number, run: () => void): TimerHandle {
    const event: SimEvent = {
      time: this.time + Math.max(0, Math.round(delayNs)),
      seq: this.seq++,
      run,
      cancelled: false,
    }
    this.queue.push(event)
    return event
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) handle.cancelled = true
  }

  /**
   * Calls `resolve` from inside an event and marks that async code has become runnable. The driver then yields to the
   * JavaScript job queue before the next event, so promise continuations run at this virtual instant.
   */
  wakeAsync(resolve: () => void): void {
    this.asyncWoken = true
    resolve()
  }

  /** Runs one event; false when the queue is empty. */
  step(): boolean {
    for (;;) {
      const event = this.queue.pop()
      if (!event) return false
      if (event.cancelled) continue
      this.time = event.time
      this.processed++
      event.run()
      return true
    }
  }

  /** Runs events until one wakes async code or the queue empties. Returns false when the queue is empty. */
  runUntilAsyncWake(): boolean {
    this.asyncWoken = false
    while (!this.asyncWoken) {
      if (!this.step()) return false
    }
    return true
  }

  /** Runs every event due at or before `timeNs`, then sets the clock to `timeNs` (for synchronous tests). */
  runUntil(timeNs: number): void {
    for (;;) {
      const next = this.queue.peek()
      if (!next || next.time > timeNs) break
      this.step()
    }
    if (this.time < timeNs) this.time = timeNs
  }

  runFor(durationNs: number): void {
    this.runUntil(this.time + durationNs)
  }
}
