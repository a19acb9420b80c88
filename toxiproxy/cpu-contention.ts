import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'

/** Where Linux keeps the calling thread's scheduler figures: ns on a CPU, ns runnable but waiting, timeslices run. */
const SCHEDSTAT = '/proc/thread-self/schedstat'

/**
 * Above this average wait for a CPU per timeslice the machine is taken to be oversubscribed. Measured on a 2-core VM:
 * under 1 µs when quiet, 60–90 µs with four CPU burners beside the process.
 */
const CONTENDED_WAIT_PER_SLICE_NS = 20_000

/**
 * Whether other work is keeping this thread waiting for a CPU, sampled every `intervalMs`.
 *
 * Why: polling pays only while a CPU is free. Go's scheduler spins only when it has an idle processor; a process that
 * polls on a busy machine spends its share of the CPU turning and is then kept waiting when bytes do arrive
 * (measured: the median round trip through a polling proxy doubled under four CPU burners). On Linux the signal is the
 * thread's own wait per timeslice (/proc/thread-self/schedstat), which does not depend on whether it polls; elsewhere
 * the 1-minute load average against the CPU count.
 */
export class CpuContention {
  private contended = false
  private last: { waitNs: number; slices: number } | null = null
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly intervalMs: number,
    private readonly readSchedstat: () => string | null = readOwnSchedstat,
  ) {}

  /** As of the last sample. */
  get now(): boolean {
    return this.contended
  }

  start(): void {
    if (this.timer !== null) return
    this.sample()
    this.timer = setInterval(() => this.sample(), this.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }

  /** Takes one sample now (the timer's work; tests call it directly). */
  sample(): void {
    const text = this.readSchedstat()
    const fields = text?.trim().split(/\s+/).map(Number)
    if (fields === undefined || fields.length < 3 || fields.some((field) => !Number.isFinite(field))) {
      this.contended = (loadavg()[0] ?? 0) >= availableParallelism()
      return
    }
    const current = { waitNs: fields[1] as number, slices: fields[2] as number }
    const last = this.last
    this.last = current
    if (last === null) return
    const slices = current.slices - last.slices
    // No timeslice since the last sample: nothing ran, so nothing says the CPU is busy; keep the last verdict.
    if (slices <= 0) return
    this.contended = (current.waitNs - last.waitNs) / slices > CONTENDED_WAIT_PER_SLICE_NS
  }
}

function readOwnSchedstat(): string | null {
  try {
    return readFileSync(SCHEDSTAT, 'utf8')
  } catch {
    return null
  }
}
