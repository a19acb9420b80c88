import { CLOCK_CHECK_INTERVAL } from './budget.js'
import type { Budget } from './budget.js'
import { CandidateLists } from './candidate-lists.js'
import { memoKey } from './config.js'
import type { Config } from './config.js'
import { LinearizedSet } from './linearized-set.js'
import { MemoTable } from './memo-table.js'
import type { Model } from './model.js'
import { OK_READ, OK_UPDATE, UNKNOWN } from './search-problem.js'
import type { SearchProblem } from './search-problem.js'

interface SearchFigures {
  /** Configurations memoised. */
  readonly configs: number
  /** Candidate ops tried. */
  readonly steps: number
}

export type SearchOutcome<S> =
  | ({ verdict: 'linearizable'; witness: Config<S> } & SearchFigures)
  | ({ verdict: 'nonlinearizable'; deepest: Config<S> } & SearchFigures)
  | ({ verdict: 'unknown'; reason: 'timeout' | 'cache'; deepest: Config<S> } & SearchFigures)

/** How many entries past the first return `doomed` looks at. */
const LOOKAHEAD = 32

/** How a configuration was reached (`Config.phase`). */
const FORCED = 0
const CHOSEN = 1
/** Linearized just before an overwrite, as part of the same move (see below); never memoised on its own. */
const ABSORBED = 2

/** The candidates of one expanded configuration, best first, and how far the search has got through them. */
interface Expansion<S> {
  ops: number[]
  states: S[]
  /** Sort keys of `ops` (see `expand`). */
  keys: number[]
  next: number
}

/**
 * Wing & Gong's search with Lowe's memoisation, as Porcupine does it: in the list of calls and returns, the candidates
 * are the calls before the first remaining return; linearize one the model accepts if the resulting (linearized set,
 * state) was never seen, and go on from there; when none is left, backtrack.
 *
 * Beyond Porcupine, to keep real histories near-linear:
 * - An ok read the state satisfies is a forced move. A read changes nothing and is a candidate, so any linearization
 *   from here can be rearranged to take it first: no alternative to it is tried, and when the configuration after it
 *   fails, the one before it fails too.
 * - A configuration where some candidate ok op (a read, a cas) can never become legal again (`Model.reachableFrom`,
 *   `Model.producers`) is abandoned at once, rather than after every order of the ops before its completion.
 * - The other candidates are tried best first (see `rank`); unknown-outcome ops last, since they never have to be
 *   placed. Every candidate is still tried, so the order changes how fast a linearization is found, never whether.
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
  return new WglSearch(problem, budget).run()
}

class WglSearch<S, I> {
  private readonly model: Model<S, I>
  private readonly inputs: readonly I[]
  private readonly kinds: Uint8Array
  private readonly n: number
  private readonly lists: CandidateLists
  private readonly set: LinearizedSet
  private readonly linearized: Uint8Array
  private readonly memo = new MemoTable<S>()
  private readonly root: Config<S>
  private top: Config<S>
  private deepest: Config<S>
  private okLeft: number
  private configs = 1
  private steps = 0
  /** Expansions by depth: only the configurations on the current path matter, so one slot per depth is reused. */
  private readonly expansions: Expansion<S>[] = []

  // The window of the current configuration: its candidate reads, its candidate ok ops that are not legal in every
  // state (for `doomed`), and the op of its first return.
  private readonly windowReads: number[] = []
  private readonly windowChecks: number[] = []
  private blocking = -1
  private readonly absorbed: number[] = []

  constructor(
    private readonly problem: SearchProblem<S, I>,
    private readonly budget: Budget,
  ) {
    this.model = problem.model
    this.inputs = problem.inputs
    this.kinds = problem.kinds
    this.n = problem.inputs.length
    this.lists = new CandidateLists(this.n, problem.kinds, problem.events)
    this.set = new LinearizedSet(this.n)
    this.linearized = new Uint8Array(this.n)
    const initial = this.model.init()
    this.root = {
      op: -1,
      phase: FORCED,
      state: initial,
      parent: null,
      depth: 0,
      members: this.set.snapshot(),
      key: memoKey(this.set.hash, this.model.hash(initial)),
      nextWithKey: null,
    }
    this.top = this.root
    this.deepest = this.root
    this.okLeft = problem.okCount
  }

  run(): SearchOutcome<S> {
    const figures = (): SearchFigures => ({ configs: this.configs, steps: this.steps })
    // Each turn: a configuration seen for the first time (`fresh`), or one resumed after a child failed.
    let fresh = true
    for (;;) {
      if (this.okLeft === 0) return { verdict: 'linearizable', witness: this.top, ...figures() }
      if (this.configs > this.budget.maxConfigs)
        return { verdict: 'unknown', reason: 'cache', deepest: this.deepest, ...figures() }
      if ((++this.steps & (CLOCK_CHECK_INTERVAL - 1)) === 0 && performance.now() > this.budget.deadline) {
        return { verdict: 'unknown', reason: 'timeout', deepest: this.deepest, ...figures() }
      }
      let failed = false
      if (fresh) {
        this.refreshWindow()
        const forced = this.doomed() ? -2 : this.forcedRead()
        if (forced === -2) failed = true
        else if (forced >= 0) {
          if (this.push(forced, FORCED, this.top.state)) continue
          // A forced read leading somewhere already searched: this configuration fails as well.
          failed = true
        } else this.expand()
      }
      if (!failed) {
        const expansion = this.expansions[this.top.depth] as Expansion<S>
        let pushed = false
        while (expansion.next < expansion.ops.length) {
          const i = expansion.next++
          this.steps++
          if (this.push(expansion.ops[i] as number, CHOSEN, expansion.states[i] as S)) {
            pushed = true
            break
          }
        }
        if (pushed) {
          fresh = true
          continue
        }
      }
      // Backtrack: undo the last move and resume its parent's expansion; a forced read has no alternative, so the
      // configuration before it has failed too.
      for (;;) {
        if (this.top === this.root) return { verdict: 'nonlinearizable', deepest: this.deepest, ...figures() }
        const undone = this.top
        this.undo()
        while (this.top.phase === ABSORBED) this.undo()
        if (undone.phase === CHOSEN) break
      }
      fresh = false
    }
  }

  /** Collects the window of the current configuration by walking the read list up to the first return. */
  private refreshWindow(): void {
    const { lists, n, windowReads, windowChecks } = this
    const producers = this.problem.producers
    windowReads.length = 0
    windowChecks.length = 0
    let entry = lists.after(OK_READ, lists.head(OK_READ))
    while (entry >= 0 && entry < n) {
      windowReads.push(entry)
      if (producers?.[entry] != null) windowChecks.push(entry)
      entry = lists.after(OK_READ, entry)
    }
    this.blocking = entry >= n ? entry - n : -1
    if (producers === null) return
    // Ops past the window must be placed too, so they can be doomed as well: look a little way ahead.
    for (let ahead = 0; entry >= 0 && ahead < LOOKAHEAD; entry = lists.after(OK_READ, entry)) {
      if (entry < n) {
        if (producers[entry] != null) windowChecks.push(entry)
        ahead++
      }
    }
    let ahead = 0
    for (
      let e = lists.after(OK_UPDATE, lists.head(OK_UPDATE));
      e >= 0 && ahead < LOOKAHEAD;
      e = lists.after(OK_UPDATE, e)
    ) {
      if (e >= n) ahead++
      else if (producers[e] != null) windowChecks.push(e)
    }
  }

  /** Some candidate ok op can never be placed from here: the state has moved past it and nothing can bring it back. */
  private doomed(): boolean {
    const { model, linearized } = this
    const producers = this.problem.producers
    if (producers === null || model.reachableFrom === undefined) return false
    for (const op of this.windowChecks) {
      if (model.reachableFrom(this.top.state, this.inputs[op] as I)) continue
      let rescuable = false
      for (const producer of producers[op] as readonly number[]) {
        if (linearized[producer] === 0) {
          rescuable = true
          break
        }
      }
      if (!rescuable) return true
    }
    return false
  }

  /** The first candidate read the state satisfies, or -1. */
  private forcedRead(): number {
    for (const read of this.windowReads) if (this.model.step(this.top.state, this.inputs[read] as I).ok) return read
    return -1
  }

  /**
   * Orders the current configuration's candidate updates: ok ones before unknown-outcome ones, then by `rank`, the
   * blocking op (its completion is the earliest still open: it has to go soon) first within its rank, then history
   * order. Candidates the model rejects are left out.
   */
  private expand(): void {
    const depth = this.top.depth
    let expansion = this.expansions[depth]
    if (expansion === undefined) this.expansions[depth] = expansion = { ops: [], states: [], keys: [], next: 0 }
    expansion.ops.length = 0
    expansion.states.length = 0
    expansion.keys.length = 0
    expansion.next = 0
    const { lists, n } = this
    for (let e = lists.after(OK_UPDATE, lists.head(OK_UPDATE)); e >= 0 && e < n; e = lists.after(OK_UPDATE, e)) {
      this.consider(expansion, e, 0)
    }
    for (let e = lists.after(UNKNOWN, lists.head(UNKNOWN)); e >= 0 && e < n; e = lists.after(UNKNOWN, e)) {
      this.consider(expansion, e, 1)
    }
  }

  /** Adds candidate `op` to the expansion in order, unless the model rejects it. */
  private consider(expansion: Expansion<S>, op: number, group: number): void {
    const result = this.model.step(this.top.state, this.inputs[op] as I)
    if (!result.ok) return
    const key = group * 64 + this.rank(result.state) * 2 + (op === this.blocking ? 0 : 1)
    const { ops, states, keys } = expansion
    // Insertion sort: windows are small, and equal keys keep history order.
    let at = ops.length
    ops.push(op)
    states.push(result.state)
    keys.push(key)
    while (at > 0 && (keys[at - 1] as number) > key) {
      ops[at] = ops[at - 1] as number
      states[at] = states[at - 1] as S
      keys[at] = keys[at - 1] as number
      at--
    }
    ops[at] = op
    states[at] = result.state
    keys[at] = key
  }

  /**
   * How promising the state an update leads to is: 0 if the blocking read would then be legal; 1 if some other
   * candidate read would; 2 if updates alone could lead on to a state some candidate read accepts
   * (`Model.reachableFrom`); 3 if some ok read of the key could see it or a later state built on it
   * (`Model.plausible`); 4 otherwise.
   */
  private rank(state: S): number {
    const { model, inputs, blocking } = this
    if (blocking >= 0 && this.kinds[blocking] === OK_READ && model.step(state, inputs[blocking] as I).ok) return 0
    for (const read of this.windowReads) if (model.step(state, inputs[read] as I).ok) return 1
    if (model.reachableFrom !== undefined) {
      for (const read of this.windowReads) if (model.reachableFrom(state, inputs[read] as I)) return 2
    }
    return model.plausible === undefined || model.plausible(state) ? 3 : 4
  }

  /**
   * Linearizes `op` (after any unobserved updates it absorbs) unless the configuration it leads to was seen; false if
   * it was. Only the configuration after the whole move is memoised: the ones in between are not searched in full.
   */
  private push(op: number, phase: number, state: S): boolean {
    const { set, model, absorbed } = this
    this.collectAbsorbed(op)
    let setHash = set.hashWith(op)
    for (const a of absorbed) setHash ^= set.zobristOf(a)
    const key = memoKey(setHash, model.hash(state))
    const sameKey = this.memo.get(key)
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
      const result = model.step(this.top.state, this.inputs[a] as I)
      if (!result.ok)
        throw new Error(`internal: the model rejected unobserved update ${a}, which it said was always legal`)
      this.take(a, ABSORBED, result.state)
    }
    set.toggle(op)
    const config: Config<S> = {
      op,
      phase,
      state,
      parent: this.top,
      depth: this.top.depth + 1,
      members: set.snapshot(),
      key,
      nextWithKey: sameKey ?? null,
    }
    this.memo.set(key, config)
    this.linearized[op] = 1
    this.lists.lift(op)
    this.top = config
    if (config.depth > this.deepest.depth) this.deepest = config
    if (this.kinds[op] !== UNKNOWN) this.okLeft--
    this.configs++
    return true
  }

  /** The unobserved updates an overwrite `op` absorbs: every such ok update among the candidates. */
  private collectAbsorbed(op: number): void {
    const { absorbed, lists, n } = this
    absorbed.length = 0
    if (this.problem.overwrites[op] === 0) return
    const absorbable = this.problem.absorbable
    for (let e = lists.after(OK_UPDATE, lists.head(OK_UPDATE)); e >= 0 && e < n; e = lists.after(OK_UPDATE, e)) {
      if (absorbable[e] === 1 && e !== op) absorbed.push(e)
    }
  }

  /** Linearizes `op` without memoising the configuration (for absorbed updates). */
  private take(op: number, phase: number, state: S): void {
    const top = this.top
    this.top = { op, phase, state, parent: top, depth: top.depth + 1, members: top.members, key: 0, nextWithKey: null }
    this.set.toggle(op)
    this.linearized[op] = 1
    this.lists.lift(op)
    if (this.kinds[op] !== UNKNOWN) this.okLeft--
  }

  private undo(): void {
    const undone = this.top
    this.lists.unlift(undone.op)
    this.set.toggle(undone.op)
    this.linearized[undone.op] = 0
    if (this.kinds[undone.op] !== UNKNOWN) this.okLeft++
    this.top = undone.parent as Config<S>
  }
}
