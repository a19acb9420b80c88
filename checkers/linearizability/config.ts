import type { SetSnapshot } from './linearized-set.js'

/**
 * A configuration of the search: which ops are linearized (as a set) and the model state they lead to. Each one is
 * both a memo entry (a configuration seen once need never be searched again) and a node of the search path, since its
 * `parent` is the configuration it was reached from; following parents gives the linearization that reached it.
 */
export interface Config<S> {
  /** The op linearized last, or -1 for the initial configuration. */
  readonly op: number
  /** The candidate list `op` came from (see `wgl-search.ts`). */
  readonly phase: number
  readonly state: S
  readonly parent: Config<S> | null
  /** How many ops are linearized. */
  readonly depth: number
  readonly members: SetSnapshot
  /** Memo key: the set's hash mixed with the state's. */
  readonly key: number
  /** Next configuration with the same memo key. */
  nextWithKey: Config<S> | null
}

export function memoKey(setHash: number, stateHash: number): number {
  const h = Math.imul(stateHash ^ (stateHash >>> 16), 0x45d9f3b)
  return (setHash ^ h ^ (h >>> 16)) | 0
}

/** The ops linearized to reach `config`, first to last. */
export function linearizationOf<S>(config: Config<S>): Config<S>[] {
  const path: Config<S>[] = []
  for (let c: Config<S> | null = config; c !== null && c.op >= 0; c = c.parent) path.push(c)
  return path.reverse()
}
