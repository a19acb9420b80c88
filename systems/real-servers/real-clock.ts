import { setTimeout as delay } from 'node:timers/promises'
import type { Clock } from '../../core/clock/clock.js'
import { NS_PER_MS } from '../../core/clock/clock.js'

/** Wall-clock time for runs against real servers. */
export class RealClock implements Clock {
  private readonly start = process.hrtime.bigint()

  now(): number {
    return Number(process.hrtime.bigint() - this.start)
  }

  async sleep(ns: number): Promise<void> {
    if (ns > 0) await delay(ns / NS_PER_MS)
  }
}
