import type { EdgeType } from './dependency-graph.js'
import { PROCESS, REALTIME, RW, WR, WW } from './dependency-graph.js'

export type CycleKind =
  | 'G0'
  | 'G1c'
  | 'G-single'
  | 'G2-item'
  | 'G0-process'
  | 'G1c-process'
  | 'G-single-process'
  | 'G2-item-process'
  | 'G0-realtime'
  | 'G1c-realtime'
  | 'G-single-realtime'
  | 'G2-item-realtime'

/**
 * Adya's cycle phenomena, by the edges a cycle has: only ww is G0; ww and wr with at least one wr is G1c; exactly one
 * rw is G-single; two or more is G2-item. A cycle that needs a process edge is the `-process` variant, one that
 * needs a real-time edge the `-realtime` one: they contradict only session or strict serializability.
 */
export function classifyCycle(types: readonly EdgeType[]): CycleKind {
  let rw = 0
  let wr = false
  let process = false
  let realtime = false
  for (const type of types) {
    if (type === RW) rw++
    else if (type === WR) wr = true
    else if (type === PROCESS) process = true
    else if (type === REALTIME) realtime = true
  }
  const base = rw >= 2 ? 'G2-item' : rw === 1 ? 'G-single' : wr ? 'G1c' : 'G0'
  return realtime ? `${base}-realtime` : process ? `${base}-process` : base
}

/**
 * How to look for a cycle of one kind: through an edge of type `start`, back along edges in `path`, the path holding
 * at least one edge of each type in `require` (at most two types). Every cycle of the kind can be rotated to start on
 * such an edge, so the search misses none (save for its budget).
 */
export interface CycleSpec {
  kind: CycleKind
  start: EdgeType
  path: number
  require: number
}

const P = PROCESS
const R = REALTIME

/** Cycles of data dependencies alone. */
export const DATA_SPECS: readonly CycleSpec[] = [
  { kind: 'G0', start: WW, path: WW, require: 0 },
  { kind: 'G1c', start: WR, path: WW | WR, require: 0 },
  { kind: 'G-single', start: RW, path: WW | WR, require: 0 },
  { kind: 'G2-item', start: RW, path: WW | WR | RW, require: RW },
]

/** Cycles that need a process edge (and no real-time one). */
export const PROCESS_SPECS: readonly CycleSpec[] = [
  { kind: 'G0-process', start: P, path: WW | P, require: 0 },
  { kind: 'G1c-process', start: P, path: WW | WR | P, require: WR },
  { kind: 'G-single-process', start: RW, path: WW | WR | P, require: P },
  { kind: 'G2-item-process', start: RW, path: WW | WR | RW | P, require: RW | P },
]

/** Cycles that need a real-time edge; process edges may help close them. */
export const REALTIME_SPECS: readonly CycleSpec[] = [
  { kind: 'G0-realtime', start: R, path: WW | P | R, require: 0 },
  { kind: 'G1c-realtime', start: R, path: WW | WR | P | R, require: WR },
  { kind: 'G-single-realtime', start: RW, path: WW | WR | P | R, require: R },
  { kind: 'G2-item-realtime', start: RW, path: WW | WR | RW | P | R, require: RW | R },
]
