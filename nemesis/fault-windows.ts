import { FAULT_CLASSES, faultPackage, type FaultName, type FaultOptions } from './fault-packages.js'
import type { NemesisAction, NemesisStep } from './nemesis-action.js'
import { WHOLE_CLUSTER } from './random-schedule.js'

/** One fault as a value: which, when it starts and how long it lasts (milliseconds of run time). */
export interface FaultWindow {
  fault: FaultName
  atMs: number
  durationMs: number
}

const NS_PER_MS = 1_000_000

/**
 * The nemesis steps of explicit fault windows, laid out as the random schedule lays out its faults: one lane per
 * fault class, a process fault first restarting what is down and waiting for the replicas. Faults of one class share
 * their heal, so one that would start before the previous of its class healed starts right after that heal instead.
 * A window starting at or after the time limit is left out; one whose heal falls after it is healed by the final phase.
 */
export function scheduleOfWindows(
  windows: readonly FaultWindow[],
  timeLimitNs: number,
  options: FaultOptions,
): NemesisStep[] {
  const steps: NemesisStep[] = []
  const laneFreeAt = new Map<number, number>()
  const ordered = windows
    .filter((w) => w.fault !== 'none')
    .map((w, order) => ({ ...w, order }))
    .sort((a, b) => a.atMs - b.atMs || a.order - b.order)
  for (const window of ordered) {
    const fault = faultPackage(window.fault, options)
    const lane = FAULT_CLASSES.indexOf(fault.class) + 1
    const atNs = Math.max(Math.round(window.atMs * NS_PER_MS), laneFreeAt.get(lane) ?? 0)
    if (atNs >= timeLimitNs) continue
    const start: readonly NemesisAction[] = fault.class === 'process' ? [...WHOLE_CLUSTER, ...fault.start] : fault.start
    for (const action of start) steps.push({ atNs, action, lane })
    // A heal one nanosecond apart at least, so that it is a step of its own instant.
    const healNs = atNs + Math.max(1, Math.round(window.durationMs * NS_PER_MS))
    laneFreeAt.set(lane, healNs + 1)
    if (healNs < timeLimitNs) for (const action of fault.stop) steps.push({ atNs: healNs, action, lane })
  }
  return steps.sort((a, b) => a.atNs - b.atNs || (a.lane ?? 0) - (b.lane ?? 0))
}
