import type { StreamChunk, StreamItem } from '../stream-chunk.js'

/** What a waiting read or sleep returns when the toxic is being updated or removed (Go's `<-stub.Interrupt`). */
export const INTERRUPTED: unique symbol = Symbol('interrupted')
export const TIMED_OUT: unique symbol = Symbol('timed out')

/** The per-link random stream a toxic draws from (jitter, slice sizes). */
export interface ToxicRandom {
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number
  /** A float in [0, 1). */
  float(): number
}

/**
 * What a toxic's pipe sees of one link: its input queue, its output, its attributes and timers. It mirrors Go's
 * ToxicStub; a pipe returns when interrupted (the stub then re-runs it with new attributes, or unlinks it) or after it
 * closed the stream.
 */
export interface ToxicStubPort {
  /** The toxic's attributes, fixed for one run of the pipe (an update interrupts and re-runs it). */
  readonly attributes: Readonly<Record<string, number>>
  readonly random: ToxicRandom
  /** Per-link state kept across updates (limit_data's byte count). */
  state: unknown
  /** The next queued item without waiting; undefined if none is queued; INTERRUPTED if an interrupt is pending. */
  readNow(): StreamItem | typeof INTERRUPTED | undefined
  /** The next item, waiting for it; TIMED_OUT if `timeoutMs` passes first. */
  read(timeoutMs?: number): Promise<StreamItem | typeof INTERRUPTED | typeof TIMED_OUT>
  /** Puts an item back at the front of the input, for the next run to see. */
  unread(item: StreamItem): void
  /** Waits `ms` (from now, never less); false if interrupted first. */
  sleep(ms: number): Promise<boolean>
  /** Waits until `deadline` (performance.now() ms); false if interrupted first. */
  sleepUntil(deadline: number): Promise<boolean>
  /** Waits `ms` and ignores interrupts (reset_peer's sleep); only tearing the connection down ends it early. */
  sleepThroughInterrupts(ms: number): Promise<void>
  /** Waits until interrupted (a stalled bandwidth toxic). */
  waitForInterrupt(): Promise<void>
  /** Passes a chunk to the next stage. */
  emit(chunk: StreamChunk): void
  /** Ends the stream here: the end reaches the destination, which is closed, and then the whole connection. */
  close(): void
  /** Closes like close(), but both peers get a TCP RST instead of a FIN. */
  resetPeer(): void
}

export type AttributeGoType = 'int' | 'int64'

export interface AttributeSpec {
  /** JSON name, in the order Go's struct declares it (the order the API prints). */
  readonly name: string
  readonly goType: AttributeGoType
}

export interface ToxicKind {
  readonly type: string
  /** The Go struct name, for decode errors (`Go struct field LatencyToxic.attributes.latency`). */
  readonly goStruct: string
  readonly attributes: readonly AttributeSpec[]
  /**
   * How much may queue in front of this toxic before the link stops reading its source (TCP back-pressure). Toxiproxy
   * gives latency a 1024-chunk channel and every other toxic an unbuffered one.
   */
  readonly queueLimit: { readonly bytes: number; readonly chunks: number }
  /** Removing the toxic closes the connection (Go's CleanupToxic: only `timeout`). */
  readonly closesOnRemove: boolean
  pipe(stub: ToxicStubPort): Promise<void>
}

/** About one socket read: Toxiproxy's unbuffered channels hold the chunk being handed over and no more. */
export const UNBUFFERED_QUEUE = { bytes: 64 * 1024, chunks: 2 } as const
