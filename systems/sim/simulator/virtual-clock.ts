import type { Clock } from '../../../core/clock/clock.js'
import type { Simulator } from './simulator.js'

/** The runner's clock inside the simulator: sleeps are simulator events. */
export class VirtualClock implements Clock {
  constructor(private readonly sim: Simulator) {}

  now(): number {
    return this.sim.now()
  }

  sleep(ns: number): Promise<void> {
    return new Promise((resolve) => {
      this.sim.schedule(ns, () => this.sim.wakeAsync(resolve))
    })
  }
}
