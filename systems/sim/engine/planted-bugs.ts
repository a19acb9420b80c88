/**
 * Bugs a test can plant in the engine to show that the harness catches them (a planted bug the tools do not find is
 * a blind spot). No config, flag or stored file reaches this switch: only code that imports it, i.e. tests.
 *
 * - `ack-before-relay-write`: a replica acknowledges an event as it arrives, before the event is in its relay log
 *   (it is written, and synced, only after a disk sync's time): a replica killed meanwhile has acked what it never
 *   kept.
 */
export type PlantedBug = 'ack-before-relay-write'

const planted = new Set<PlantedBug>()

/** Plants (or removes) a bug in every engine made from now on in this process. */
export function plantBug(bug: PlantedBug, on = true): void {
  if (on) planted.add(bug)
  else planted.delete(bug)
}

export function isPlanted(bug: PlantedBug): boolean {
  return planted.has(bug)
}
