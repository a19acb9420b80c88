import type { Simulator } from './simulator/simulator.js'

/** Lets every promise continuation that is ready run (the job queue drains before the next macrotask). */
function yieldToJobQueue(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * Runs async code (the runner, clients, nemesis) against the simulator. Simulator events run synchronously until one
 * resolves a promise; then the JavaScript job queue drains, so continuations run at that virtual instant in an order
 * fixed by the event order. No wall-clock time reaches the simulation: `setImmediate` only yields, it never delays.
 */
export async function driveSimulation<T>(sim: Simulator, main: () => Promise<T>): Promise<T> {
  let settled = false
  const run = main().finally(() => {
    settled = true
  })
  run.catch(() => {}) // observed below; avoid an unhandled-rejection report while the loop runs
  for (;;) {
    await yieldToJobQueue()
    if (settled) return run
    if (!sim.runUntilAsyncWake()) {
      await yieldToJobQueue()
      if (settled) return run
      throw new Error(`simulation stalled at ${sim.now()} ns: no events left, but the run has not finished`)
    }
  }
}
