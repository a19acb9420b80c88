import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NS_PER_MS, NS_PER_SECOND } from '../../core/clock/clock.js'
import { SeededRandom } from '../../core/random/seeded-random.js'
import { FAULT_CLASSES, FAULT_NAMES, faultPackage, type FaultName } from '../../nemesis/fault-packages.js'
import type { NemesisStep } from '../../nemesis/nemesis-action.js'
import { randomSchedule } from '../../nemesis/random-schedule.js'

const S = NS_PER_SECOND
const options = { latencyMs: 200, latencyJitterMs: 50, burstRate: 2000, slowApplyTimeUs: 20_000 }
const EVERY_FAULT = FAULT_NAMES.filter((f) => f !== 'none')
const schedule = (faults: readonly FaultName[], seed: number, intervalS = 2, limitS = 60): NemesisStep[] =>
  randomSchedule(faults, intervalS * S, limitS * S, new SeededRandom(seed, 'nemesis-schedule'), options)

/** The first action of every fault's start, and `await-replicas`, which only a process fault's start has. */
const START_ACTIONS = new Set([
  ...EVERY_FAULT.map((f) => JSON.stringify(faultPackage(f, options).start[0])),
  JSON.stringify({ f: 'await-replicas', timeoutMs: 30_000 }),
])
const WHOLE_CLUSTER = [
  { f: 'start', target: 'killed' },
  { f: 'await-replicas', timeoutMs: 30_000 },
]

/**
 * Each lane's faults as [start, heal) windows (heal = Infinity past the limit). The actions at one instant of a lane are
 * one group: a fault's start or its heal. Throws when a lane's groups do not alternate start, heal, start, …
 */
function windows(steps: readonly NemesisStep[]): Map<number, Array<{ start: number; end: number }>> {
  const lanes = new Map<number, Array<{ start: number; end: number }>>()
  const group = (s: NemesisStep): NemesisStep[] => steps.filter((o) => o.atNs === s.atNs && o.lane === s.lane)
  const firstOfGroup = (s: NemesisStep): boolean => group(s)[0] === s
  for (const step of steps.filter(firstOfGroup)) {
    const list = lanes.get(step.lane as number) ?? []
    lanes.set(step.lane as number, list)
    const open = list.at(-1)
    // A process fault's start begins like a kill's heal (`start killed`): its `await-replicas` tells them apart.
    if (group(step).some((s) => START_ACTIONS.has(JSON.stringify(s.action)))) {
      if (open && open.end === Infinity)
        throw new Error(`lane ${step.lane}: a fault starts at ${step.atNs} before a heal`)
      list.push({ start: step.atNs, end: Infinity })
    } else {
      if (!open || open.end !== Infinity) throw new Error(`lane ${step.lane}: a heal at ${step.atNs} with no fault`)
      open.end = step.atNs
    }
  }
  return lanes
}

describe('randomSchedule', () => {
  it('is the same for the same seed and differs between seeds', () => {
    expect(schedule(EVERY_FAULT, 1)).toEqual(schedule(EVERY_FAULT, 1))
    expect(schedule(EVERY_FAULT, 1)).not.toEqual(schedule(EVERY_FAULT, 2))
  })

  it('puts each fault class in its own lane, numbered from 1, and process faults first make the cluster whole', () => {
    const steps = schedule(EVERY_FAULT, 3)
    for (const step of steps) {
      const lane = step.lane as number
      expect(lane).toBeGreaterThanOrEqual(1)
      expect(lane).toBeLessThanOrEqual(FAULT_CLASSES.length)
    }
    const kills = steps.filter((s) => s.action.f === 'kill')
    expect(kills.length).toBeGreaterThan(0)
    for (const kill of kills) {
      const before = steps.filter((s) => s.lane === kill.lane && s.atNs === kill.atNs)
      expect(before.slice(0, 2).map((s) => s.action)).toEqual(WHOLE_CLUSTER)
    }
  })

  it('overlaps faults of different classes: a failover lands while another lane has a fault active', () => {
    let overlapped = 0
    for (let seed = 1; seed <= 20; seed++) {
      const steps = schedule(['kill-primary', 'partition-replica', 'stall-applier'], seed)
      const lanes = windows(steps)
      for (const failover of steps.filter((s) => s.action.f === 'failover')) {
        const others = [...lanes].filter(([lane]) => lane !== failover.lane).flatMap(([, list]) => list)
        if (others.some((w) => w.start <= failover.atNs && failover.atNs < w.end)) overlapped++
      }
    }
    expect(overlapped).toBeGreaterThan(5)
  })

  it('never overlaps two faults of one lane, and stays inside the time limit (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...EVERY_FAULT), { minLength: 1, maxLength: EVERY_FAULT.length }),
        fc.integer({ min: 500, max: 5000 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (faults, intervalMs, limitS, seed) => {
          const steps = randomSchedule(
            faults,
            intervalMs * NS_PER_MS,
            limitS * S,
            new SeededRandom(seed, 'nemesis-schedule'),
            options,
          )
          for (const step of steps) expect(step.atNs).toBeLessThan(limitS * S)
          expect(steps.map((s) => s.atNs)).toEqual([...steps.map((s) => s.atNs)].sort((a, b) => a - b))
          // Within a lane, a fault's heal comes before the next fault starts (windows() throws otherwise).
          expect(() => windows(steps)).not.toThrow()
          // Only the classes asked for get a lane.
          const classes = new Set(faults.map((f) => faultPackage(f, options).class))
          for (const step of steps) expect(classes.has(FAULT_CLASSES[(step.lane as number) - 1] as never)).toBe(true)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('near miss for the lane check: two starts in a row are caught', () => {
    const steps = schedule(['kill-replica'], 4).filter((s) => s.action.f !== 'start')
    expect(() => windows(steps)).toThrow(/before a heal/)
  })

  it('gives nothing for none or a zero interval', () => {
    expect(schedule(['none'], 1)).toEqual([])
    expect(randomSchedule(EVERY_FAULT, 0, 10 * S, new SeededRandom(1, 'x'), options)).toEqual([])
  })
})
