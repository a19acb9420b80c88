import { faultPackage } from './fault-packages.js'
import type { NemesisStep, ScheduleBuilder } from './nemesis-action.js'
import { randomSchedule } from './random-schedule.js'

/** How `--nemesis-schedule` lays the `--nemesis` faults out in time. */
export const SCHEDULE_KINDS = ['cyclic', 'random'] as const
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number]

/** How a run with no explicit schedule lays its faults out: one at a time (`cyclic`) or overlapping (`random`). */
export function scheduleBuilder(kind: ScheduleKind): ScheduleBuilder {
  return kind === 'random' ? randomSchedule : cyclicSchedule
}

/**
 * Jepsen's flip-flop over fault packages: wait an interval, start a fault chosen at random from the list, wait an
 * interval, heal it; repeat until the time limit. Drawn from the nemesis stream, so a seed fixes the schedule.
 */
export const cyclicSchedule: ScheduleBuilder = (faults, intervalNs, timeLimitNs, random, options) => {
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
