import type { SeededRandom } from '../core/random/seeded-random.js'
import { faultPackage, type FaultName, type FaultOptions } from './fault-packages.js'
import type { NemesisStep } from './nemesis-action.js'
import { randomSchedule } from './random-schedule.js'

/** How `--nemesis-schedule` lays the `--nemesis` faults out in time. */
export const SCHEDULE_KINDS = ['cyclic', 'random'] as const
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number]

/** The schedule of a run that has no explicit one: `cyclic` (one fault at a time) or `random` (overlapping). */
export function buildSchedule(
  kind: ScheduleKind,
  faults: readonly FaultName[],
  intervalNs: number,
  timeLimitNs: number,
  random: SeededRandom,
  options: FaultOptions,
): NemesisStep[] {
  const build = kind === 'random' ? randomSchedule : cyclicSchedule
  return build(faults, intervalNs, timeLimitNs, random, options)
}

/**
 * Jepsen's flip-flop over fault packages: wait an interval, start a fault chosen at random from the list, wait an
 * interval, heal it; repeat until the time limit. Drawn from the nemesis stream, so a seed fixes the schedule.
 */
export function cyclicSchedule(
  faults: readonly FaultName[],
  intervalNs: number,
  timeLimitNs: number,
  random: SeededRandom,
  options: FaultOptions,
): NemesisStep[] {
  const active = faults.filter((f) => f !== 'none')
  const steps: NemesisStep[] = []
  if (active.length === 0 || intervalNs <= 0) return steps
  for (let t = intervalNs; t < timeLimitNs; t += 2 * intervalNs) {
    const fault = faultPackage(random.pick(active), options)
    for (const action of fault.start) steps.push({ atNs: t, action })
    if (t + intervalNs < timeLimitNs) for (const action of fault.stop) steps.push({ atNs: t + intervalNs, action })
  }
  return steps
}
