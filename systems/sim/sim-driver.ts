import type { Simulator } from './simulator/simulator.js'

/** Lets every promise continuation that is ready run (the job queue drains before the next macrotask). */
function yieldToJobQueue(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * The same, without a turn of the event loop: Node runs a `nextTick` callback only once V8's microtask queue is empty
 * (its tick loop drains the microtasks, then the ticks, until both are empty), so the continuation after this runs
 * when every continuation the last events woke, and everything they woke in turn, has run. A turn of the event loop
 * per wake (setImmediate) cost about a third of a simulated run's wall time, most of it polling for I/O that the
 * simulation never does (bench/README.md, "Simulator: events per op").
 */
function yieldToDrainedJobQueue(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve))
}

/** Wakes between two turns of the event loop: a few milliseconds of simulation at most. */
const MACROTASK_EVERY = 256

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
  for (let wakes = 0; ; wakes++) {
    // Now and then a real turn of the event loop, so Ctrl-C, SIGTERM and the progress line are not held off for a
    // long run's whole length; either way the job queue is drained, so what the simulation does is the same.
    await (wakes % MACROTASK_EVERY === 0 ? yieldToJobQueue() : yieldToDrainedJobQueue())
    if (settled) return run
    if (!sim.runUntilAsyncWake()) {
      await yieldToJobQueue()
      if (settled) return run
      throw new Error(`simulation stalled at ${sim.now()} ns: no events left, but the run has not finished`)
    }
  }
}
