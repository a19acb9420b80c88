import { FAULT_CLASSES, faultPackage } from './fault-packages.js'
import type { NemesisAction, NemesisStep, ScheduleBuilder } from './nemesis-action.js'

/** How long a process fault waits for the replicas to catch up before it strikes anyway. */
const AWAIT_REPLICAS_MS = 30_000
/** What a process fault does first: restart what is still down, and wait until every replica holds all the primary has. */
export const WHOLE_CLUSTER: readonly NemesisAction[] = [
  { f: 'start', target: 'killed' },
  { f: 'await-replicas', timeoutMs: AWAIT_REPLICAS_MS },
]

/**
 * Composed random faults, after Jepsen's composed nemeses: one lane per fault class (processes, network cuts,
 * latency, appliers, load), each drawing faults with random start gaps and durations around `intervalNs` (a fifth of
 * it up to one and a half times it). Within a lane a fault is healed before the next starts, since a class shares its
 * heal; across lanes they overlap, so a kill and its failover can land while a replica is cut off, slowed, stalled or
 * under a burst of load. Lanes are numbered from 1, so a slow step delays the rest of its lane (see `NemesisStep`).
 * Drawn from the nemesis stream only, lane after lane: a seed fixes the schedule.
 */
export const randomSchedule: ScheduleBuilder = (faults, intervalNs, timeLimitNs, random, options) => {
  const steps: NemesisStep[] = []
  if (intervalNs <= 0) return steps
  const packages = [...new Set(faults)].filter((f) => f !== 'none').map((f) => faultPackage(f, options))
  FAULT_CLASSES.forEach((faultClass, lane) => {
    const inClass = packages.filter((p) => p.class === faultClass)
    if (inClass.length === 0) return
    const draw = (low: number, high: number): number => Math.round(intervalNs * (low + random.float() * (high - low)))
    for (let t = draw(0, 1); t < timeLimitNs;) {
      const fault = random.pick(inClass)
      const duration = draw(0.2, 1.5)
      // A process fault strikes a whole cluster: what an earlier one left down is started again (a refused
      // re-provisioning, say), and every replica holds all the primary has (see `await-replicas`).
      const start: NemesisAction[] = faultClass === 'process' ? [...WHOLE_CLUSTER, ...fault.start] : fault.start
      for (const action of start) steps.push({ atNs: t, action, lane: lane + 1 })
      const healAt = t + duration
      if (healAt < timeLimitNs) for (const action of fault.stop) steps.push({ atNs: healAt, action, lane: lane + 1 })
      t = healAt + draw(0.2, 1.5)
    }
  })
  return steps.sort((a, b) => a.atNs - b.atNs || (a.lane ?? 0) - (b.lane ?? 0))
}
