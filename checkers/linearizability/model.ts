/** The sequential specifications the checker knows (the models table of `docs/history-format.md`). */
export type ModelName = 'register' | 'kv' | 'set'

/**
 * What the model sees of one operation: its `f` and the value that matters to the model. For an `ok` op that is the
 * completion's value (a read's result); for an op whose outcome is unknown it is the invocation's value (the argument).
 */
export interface ModelOp {
  f: string
  value: unknown
}

/** Whether the op is legal in the state, and the state it leads to. */
export type StepResult<S> = { readonly ok: true; readonly state: S } | { readonly ok: false }

/** Shared by every model: a rejected step carries no state, so one frozen object serves all of them. */
export const REJECTED: StepResult<never> = Object.freeze({ ok: false })

/**
 * A sequential specification. A fresh instance is made for each key (its intern tables are per key), and each op is
 * compiled once before the search so that `step`, which the search calls millions of times, does no parsing.
 *
 * `hash`/`equals` key the search's memo. `equals` may be stricter than true equality (two equal states seen as
 * different only cost a repeated search, never a wrong verdict). It may be looser only for states that no sequence of
 * the key's ops can tell apart (e.g. two register values no read returns and no cas expects).
 */
export interface Model<S = unknown, I = unknown> {
  readonly name: ModelName
  /** Whether `f` only observes the state. A read that ends `info` constrains nothing and is dropped, as Knossos does. */
  isRead(f: string): boolean
  /** Turns an op into the model's input. Throws a message-only `Error` when `f` or `value` is not one of this model's. */
  compile(op: ModelOp): I
  init(): S
  step(state: S, input: I): StepResult<S>
  hash(state: S): number
  equals(a: S, b: S): boolean
  /** The state as plain JSON, for explanations. */
  describe(state: S): unknown
  /** Why `step(state, input)` was rejected, in words (e.g. "read 3, but the register holds 5"). */
  whyRejected(state: S, input: I): string
  /**
   * Optional pruning: for each op whose outcome is unknown (`info`, or never completed), whether it can be left out
   * because taking effect could never help any `ok` op (e.g. a write of a value nobody ever read). Only sound
   * shortcuts belong here: leaving out an op must never turn a linearizable history into a non-linearizable one.
   */
  droppableUnknowns?(unknowns: readonly ModelOp[], oks: readonly ModelOp[]): boolean[]
  /**
   * Optional search hint: whether some ok read of the key could observe `state`, or a state built on it (for kv: the
   * text is a prefix of some get's result). The search tries first the ops that lead to plausible states. A wrong
   * answer costs time, never correctness.
   */
  plausible?(state: S): boolean
  /**
   * Optional pruning, with `producers`: whether updates alone can take `state` to one where `op` is legal without
   * any overwrite (register: the state is the value read, or the value a cas expects; kv: the text got starts with the
   * state's; set: the state is a subset of the set read). When this is false and every producer of the op is already
   * linearized, the op can never be placed and the search abandons the configuration at once, instead of after trying
   * every order of the ops that remain before the op's completion.
   */
  reachableFrom?(state: S, op: I): boolean
  /**
   * Optional, with `reachableFrom`: for each op in `inputs`, `null` if it is legal in every state (a write, a put, an
   * append, an add); otherwise the indices of the ops that could make it reachable again whatever the state
   * (register: writes of the value read or expected, and cas ops to it; kv: puts of a prefix of the text got; set:
   * none, since sets only grow).
   */
  producers?(inputs: readonly I[]): (number[] | null)[]
  /** Optional: whether the op sets the state whatever it was (a register write, a kv put). */
  overwrites?(input: I): boolean
  /**
   * Optional, with `overwrites`: for each op, whether it is an update that is legal in every state and whose effect no
   * op can observe (a write of a value no read returns and no cas expects; an append of a string no get contains).
   * Such an op can always go just before an overwrite, which the search exploits (see `wgl-search.ts`). `ops` are all
   * the ops of the key the search considers.
   */
  unobservedUpdates?(ops: readonly ModelOp[]): boolean[]
}
