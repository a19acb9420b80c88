import type { Simulator } from './simulator.js'
import type { SeededRandom } from '../../../core/random/seeded-random.js'

export interface DiskLatency {
  /** Mean fsync latency in nanoseconds. */
  fsyncMeanNs: number
  fsyncJitterNs: number
}

/**
 * A simulated append-only file of records with a durable prefix. `append` leaves a record pending (in the page cache);
 * `sync` makes everything appended so far durable after an fsync delay; a crash drops whatever is still pending.
 */
export class SimFile<T> {
  private readonly records: T[] = []
  private durable = 0
  /** Bumped by a crash so fsyncs in flight at that moment never complete. */
  private generation = 0

  constructor(
    readonly name: string,
    private readonly sim: Simulator,
    private readonly random: SeededRandom,
    private readonly latency: DiskLatency,
  ) {}

  get length(): number {
    return this.records.length
  }

  get durableLength(): number {
    return this.durable
  }

  get pendingLength(): number {
    return this.records.length - this.durable
  }

  at(index: number): T | undefined {
    return this.records[index]
  }

  all(): readonly T[] {
    return this.records
  }

  append(record: T): number {
    this.records.push(record)
    return this.records.length - 1
  }

  /** Makes every record appended so far durable, then calls `done` (after the fsync latency). */
  sync(done: () => void): void {
    const upTo = this.records.length
    const generation = this.generation
    const delay =
      this.latency.fsyncMeanNs + (this.latency.fsyncJitterNs > 0 ? this.random.int(0, this.latency.fsyncJitterNs) : 0)
    this.sim.schedule(delay, () => {
      if (generation !== this.generation) return
      this.durable = Math.max(this.durable, Math.min(upTo, this.records.length))
      done()
    })
  }

  /** The machine lost power or the process was killed: pending records are gone. */
  crash(): void {
    this.generation++
    this.records.length = this.durable
  }

  /** Replaces the whole file durably (a truncation rewrites the file and syncs it before the server goes on). */
  rewrite(records: readonly T[]): void {
    this.generation++
    this.records.length = 0
    this.records.push(...records)
    this.durable = this.records.length
  }

  /** Drops records from `index` on (binlog truncation, relay-log purge); the file stays durable up to there. */
  truncate(index: number): void {
    this.records.length = Math.min(this.records.length, index)
    this.durable = Math.min(this.durable, index)
  }
}
