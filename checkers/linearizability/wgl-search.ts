import { CLOCK_CHECK_INTERVAL } from './budget.js'
import type { Budget } from './budget.js'
import { CandidateLists } from './candidate-lists.js'
import { memoKey } from './config.js'
import type { Config } from './config.js'
import { LinearizedSet } from './linearized-set.js'
import type { Model } from './model.js'
import { OK_READ, OK_UPDATE, UNKNOWN } from './search-problem.js'
import type { SearchProblem } from './search-problem.js'

interface SearchFigures {
  /** Configurations memoised. */
  readonly configs: number
  /** Search steps (candidate ops tried, roughly). */
  readonly steps: number
}

export type SearchOutcome<S> =
  | ({ verdict: 'linearizable'; witness: Config<S> } & SearchFigures)
  | ({ verdict: 'nonlinearizable'; deepest: Config<S> } & SearchFigures)
  | ({ verdict: 'unknown'; reason: 'timeout' | 'cache'; deepest: Config<S> } & SearchFigures)

/**
 * The order in which a configuration's candidates are tried. Every candidate is tried once, in exactly one phase, so
 * the order changes only how fast the search finds a linearization, never whether it does. Which phase a candidate
 * falls in depends only on the configuration, so backtracking can resume a phase where it left off.
 *
 * After the reads, candidates are ranked by the state they lead to: 0 if some candidate read would then be legal; 1 if
 * updates alone could lead on from it to a state some candidate read accepts (`Model.reachableFrom`); 2 if some ok read
 * of the key could see it or a later state built on it (`Model.plausible`); 3 otherwise. Ok updates go by rank, within a rank the blocking one (its completion is the earliest still open: it has
 * to go soon) first; then unknown-outcome ops by rank, last because they never have to be placed.
 */
const READS = 0
const RANKS = 4
/** Phases 1..8: for each rank r, `1 + 2r` is the blocking op (if of rank r), `2 + 2r` the other ok updates. */
const FIRST_UPDATE_PHASE = 1
/** Phases 9..12: unknown-outcome ops of rank `phase - 9`. */
const FIRST_UNKNOWN_PHASE = FIRST_UPDATE_PHASE + 2 * RANKS
const LAST_PHASE = FIRST_UNKNOWN_PHASE + RANKS - 1
/** Linearized just before an overwrite, as part of the same move (see below); never memoised on its own. */
const ABSORBED = LAST_PHASE + 1

/**
 * Wing & Gong's search with Lowe's memoisation, as Porcupine does it: in the list of calls and returns, the candidates
 * are the calls before the first remaining return; linearize one the model accepts if the resulting (linearized set,
 * state) was never seen, and start over; when none is left, backtrack.
 *
 * Beyond Porcupine, to keep real histories near-linear:
 * - An ok read the state satisfies is a forced move. A read changes nothing and is a candidate, so any linearization
 *   from here can be rearranged to take it first: no alternative to it is tried, and when the configuration after it
 *   fails, the one before it fails too.
 * - A configuration where some candidate read can never become legal (`Model.reachableFrom`, `Model.producers`) is
 *   abandoned at once, rather than after every order of the ops before that read's completion has been tried.
 * - Other candidates are tried in the order of the phases above: what the pending reads ask for, then what some read
 *   could still see, then the rest.
 * - An update nobody observes (a write of a value never read, an append never seen) is placed as soon as it can go
 *   just before an overwrite: linearizing an overwrite w from C also linearizes, right before w, every such candidate
 *   op. If C + w has a linearization, so does C + those + w: in any linearization each of them can move up to just
 *   before w, since between its old place and the next overwrite nothing looked at the state. Unobserved updates with
 *   long latencies are what otherwise sends the search back across hundreds of ops.
 *
 * Unknown-outcome ops have no return entry (it is at +infinity): they stay candidates to the end, and the search
 * succeeds as soon as every ok op is linearized, whatever became of them.
 */
export function searchLinearization<S, I>(problem: SearchProblem<S, I>, budget: Budget): SearchOutcome<S> {
  const { model, inputs, kinds, okCount, overwrites, absorbable, producers } = problem
  const n = inputs.length
  const lists = new CandidateLists(n, kinds, problem.events)
  const set = new LinearizedSet(n)
  const linearized = new Uint8Array(n)
  const memo = new Map<number, Config<S>>()
  const initial = model.init()
  const root: Config<S> = {
    op: -1,
    phase: READS,
    state: initial,
    parent: null,
    depth: 0,
    members: set.snapshot(),
    key: memoKey(set.hash, model.hash(initial)),
    nextWithKey: null,
  }
  let top = root
  let deepest = root
  let okLeft = okCount
  let configs = 1
  let steps = 0
  const figures = (): SearchFigures => ({ configs, steps })
  if (okLeft === 0) return { verdict: 'linearizable', witness: root, ...figures() }

  // The window of the current configuration: its candidate reads and the op of its first return.
  let windowOf: Config<S> | null = null
  const windowReads: number[] = []
  let blocking = -1
  const refreshWindow = (): void => {
    windowReads.length = 0
    let entry = lists.after(OK_READ, lists.head(OK_READ))
    while (entry >= 0 && entry < n) {
      windowReads.push(entry)
      entry = lists.after(OK_READ, entry)
    }
    blocking = entry >= n ? entry - n : -1
    windowOf = top
  }
  /** Some candidate read can never be placed from here: the state has moved past it and nothing can bring it back. */
  const doomed = (): boolean => {
    if (producers === null || model.reachableFrom === undefined) return false
    for (const read of windowReads) {
      if (model.reachableFrom(top.state, inputs[read] as I)) continue
      let rescuable = false
      for (const producer of producers[read] as readonly number[]) {
        if (linearized[producer] === 0) {
          rescuable = true
          break
        }
      }
      if (!rescuable) return true
    }
    return false
  }
  const rankOfState = (state: S): number => {
    for (const read of windowReads) if (model.step(state, inputs[read] as I).ok) return 0
    if (model.reachableFrom !== undefined) {
      for (const read of windowReads) if (model.reachableFrom(state, inputs[read] as I)) return 1
    }
    return model.plausible === undefined || model.plausible(state) ? 2 : 3
  }
  // Each candidate's step result and rank, worked out once per visit of a configuration (the phases ask repeatedly).
  let epoch = 1
  const rankEpoch = new Int32Array(n)
  const ranks = new Int8Array(n)
  const results = new Array<S | undefined>(n)
  /** The rank of candidate `op` here, or -1 if the model rejects it; its resulting state is then `results[op]`. */
  const rankOf = (op: number): number => {
    if (rankEpoch[op] !== epoch) {
      rankEpoch[op] = epoch
      const result = model.step(top.state, inputs[op] as I)
      results[op] = result.ok ? result.state : undefined
      ranks[op] = result.ok ? rankOfState(result.state) : -1
    }
    return ranks[op] as number
  }
  const absorbed: number[] = []
  const collectAbsorbed = (op: number): void => {
    absorbed.length = 0
    if (overwrites[op] === 0) return
    for (let e = lists.after(OK_UPDATE, lists.head(OK_UPDATE)); e >= 0 && e < n; e = lists.after(OK_UPDATE, e)) {
      if (absorbable[e] === 1 && e !== op) absorbed.push(e)
    }
  }
  const take = (op: number, phase: number, state: S): void => {
    top = { op, phase, state, parent: top, depth: top.depth + 1, members: top.members, key: 0, nextWithKey: null }
    set.toggle(op)
    linearized[op] = 1
    lists.lift(op)
    if (kinds[op] !== UNKNOWN) okLeft--
  }
  const undo = (): void => {
    const undone = top
    lists.unlift(undone.op)
    set.toggle(undone.op)
    linearized[undone.op] = 0
    if (kinds[undone.op] !== UNKNOWN) okLeft++
    top = undone.parent as Config<S>
  }
  /**
   * Linearizes `op` (after any unobserved overwrites it absorbs) unless the configuration it leads to was seen; false
   * if it was. Only the configuration after the whole move is memoised: the ones in between are not searched in full.
   */
  const push = (op: number, phase: number, state: S): boolean => {
    collectAbsorbed(op)
    let setHash = set.hashWith(op)
    for (const a of absorbed) setHash ^= set.zobristOf(a)
    const key = memoKey(setHash, model.hash(state))
    const sameKey = memo.get(key)
    if (sameKey !== undefined) {
      for (const a of absorbed) set.toggle(a)
      for (let c: Config<S> | null = sameKey; c !== null; c = c.nextWithKey) {
        if (model.equals(c.state, state) && set.equalsWith(c.members, op)) {
          for (const a of absorbed) set.toggle(a)
          return false
        }
      }
      for (const a of absorbed) set.toggle(a)
    }
    for (const a of absorbed) {
      const result = model.step(top.state, inputs[a] as I)
      if (!result.ok) throw new Error(`internal: the model rejected unobserved update ${a}, which it said was always legal`)
      take(a, ABSORBED, result.state)
    }
    set.toggle(op)
    const config: Config<S> = {
      op,
      phase,
      state,
      parent: top,
      depth: top.depth + 1,
      members: set.snapshot(),
      key,
      nextWithKey: sameKey ?? null,
    }
    memo.set(key, config)
    linearized[op] = 1
    lists.lift(op)
    top = config
    if (config.depth > deepest.depth) deepest = config
    if (kinds[op] !== UNKNOWN) okLeft--
    configs++
    return true
  }

  let phase = READS
  let cursor = -1
  for (;;) {
    if ((++steps & (CLOCK_CHECK_INTERVAL - 1)) === 0 && performance.now() > budget.deadline) {
      return { verdict: 'unknown', reason: 'timeout', deepest, ...figures() }
    }
    let pushed = false
    let failed = false
    if (windowOf !== top) {
      refreshWindow()
      epoch++
      // A configuration seen for the first time (a resumed one passed this check before).
      if (phase === READS && doomed()) failed = true
    }
    if (failed) {
      // fall through to backtracking
    } else if (phase === READS) {
      for (const read of windowReads) {
        const result = model.step(top.state, inputs[read] as I)
        if (!result.ok) continue
        // A forced read leading somewhere already searched: this configuration fails as well.
        if (push(read, READS, result.state)) pushed = true
        else failed = true
        break
      }
      if (!pushed && !failed) {
        phase = FIRST_UPDATE_PHASE
        cursor = -1
      }
    } else if (phase < FIRST_UNKNOWN_PHASE && (phase - FIRST_UPDATE_PHASE) % 2 === 0) {
      // The blocking op's turn, if it is an ok update of this phase's rank.
      if (cursor === -1 && blocking >= 0 && kinds[blocking] === OK_UPDATE) {
        cursor = blocking
        if (rankOf(blocking) === (phase - FIRST_UPDATE_PHASE) / 2) pushed = push(blocking, phase, results[blocking] as S)
      }
      if (!pushed) {
        phase++
        cursor = lists.head(OK_UPDATE)
      }
    } else {
      const list = phase < FIRST_UNKNOWN_PHASE ? OK_UPDATE : UNKNOWN
      const rank = phase < FIRST_UNKNOWN_PHASE ? (phase - FIRST_UPDATE_PHASE - 1) / 2 : phase - FIRST_UNKNOWN_PHASE
      const entry = lists.after(list, cursor)
      if (entry >= 0 && entry < n) {
        cursor = entry
        if (entry !== blocking && rankOf(entry) === rank) pushed = push(entry, phase, results[entry] as S)
      } else if (phase < LAST_PHASE) {
        phase++
        cursor = phase < FIRST_UNKNOWN_PHASE && (phase - FIRST_UPDATE_PHASE) % 2 === 0 ? -1 : lists.head(phase < FIRST_UNKNOWN_PHASE ? OK_UPDATE : UNKNOWN)
      } else failed = true
    }

    if (pushed) {
      if (okLeft === 0) return { verdict: 'linearizable', witness: top, ...figures() }
      if (configs > budget.maxConfigs) return { verdict: 'unknown', reason: 'cache', deepest, ...figures() }
      phase = READS
      continue
    }
    if (!failed) continue
    // Backtrack: undo the last move and resume its phase after it; a forced read has no alternative, so keep undoing.
    for (;;) {
      if (top === root) return { verdict: 'nonlinearizable', deepest, ...figures() }
      const undone = top
      undo()
      while (top.phase === ABSORBED) undo()
      if (undone.phase !== READS) {
        phase = undone.phase
        cursor = undone.op
        break
      }
    }
  }
}
