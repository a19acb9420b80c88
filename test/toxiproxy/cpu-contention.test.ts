import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { describe, expect, it } from 'vitest'
import { CpuContention } from '../../toxiproxy/cpu-contention.js'

/** A schedstat reader that returns the lines given, one per sample. */
function scripted(lines: Array<string | null>): () => string | null {
  return () => (lines.length > 0 ? (lines.shift() as string | null) : null)
}

describe('CpuContention: is this thread kept waiting for a CPU?', () => {
  it('says contended once the wait per timeslice since the last sample exceeds 20 µs, and not before', () => {
    const contention = new CpuContention(250, scripted(['5 1000 10', '9 1000 110', '9 3001000 210', '9 3002000 310']))
    contention.sample()
    expect(contention.now).toBe(false) // a first sample has nothing to compare with
    contention.sample()
    expect(contention.now).toBe(false) // 0 ns waited over 100 slices
    contention.sample()
    expect(contention.now).toBe(true) // 3 ms waited over 100 slices: 30 µs a slice
    contention.sample()
    expect(contention.now).toBe(false) // 1 µs waited over 100 slices
  })

  it('a near miss: exactly 20 µs a slice is not contended', () => {
    const contention = new CpuContention(250, scripted(['0 0 0', '0 2000000 100']))
    contention.sample()
    contention.sample()
    expect(contention.now).toBe(false)
  })

  it('keeps its last verdict when no timeslice ran between two samples', () => {
    const contention = new CpuContention(250, scripted(['0 0 0', '0 5000000 100', '0 5000000 100']))
    contention.sample()
    contention.sample()
    expect(contention.now).toBe(true)
    contention.sample()
    expect(contention.now).toBe(true)
  })

  it('without a readable schedstat (not Linux), falls back to the load average against the CPU count', () => {
    for (const unreadable of [null, 'garbage', '1 2']) {
      const contention = new CpuContention(250, scripted([unreadable]))
      contention.sample()
      expect(contention.now).toBe((loadavg()[0] ?? 0) >= availableParallelism())
    }
  })

  it('start() samples at once and then every interval; stop() ends the sampling, and both may be called twice', async () => {
    let reads = 0
    const contention = new CpuContention(5, () => {
      reads++
      return `0 0 ${reads}`
    })
    contention.start()
    contention.start()
    expect(reads).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(reads).toBeGreaterThan(1)
    contention.stop()
    contention.stop()
    const stoppedAt = reads
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(reads).toBe(stoppedAt)
  })

  it.runIf(process.platform === 'linux')('Linux gives the figures it reads: three numbers per thread', () => {
    const fields = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/).map(Number)
    expect(fields.length).toBeGreaterThanOrEqual(3)
    expect(fields.every((field) => Number.isFinite(field))).toBe(true)
  })
})
