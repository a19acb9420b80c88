import type { Validity } from '../checker.js'
import type { ModelName } from './model.js'

export interface LinearizabilityOptions {
  model: ModelName
  /** Wall-clock budget for the whole check, all keys together. Default 300 000 ms. */
  timeoutMs?: number
  /** Most memoised configurations one key's search may hold. Default 5 000 000 (about 1 GB at worst). */
  maxCacheEntries?: number
}

/** How an operation ended, as explanations show it: `pending` means no completion (it counts as `info`). */
export type ShownOutcome = 'ok' | 'info' | 'pending'

/** One operation as an explanation cites it; "op 12" means the op invoked at index 12. */
export interface OpRef {
  invokeIndex: number
  /** `null` when the op never completed. */
  completeIndex: number | null
  invokeTime: number
  completeTime: number | null
  process: number
  f: string
  /** What the model saw: a read's result or an update's argument (long strings and arrays are shortened). */
  value: unknown
  outcome: ShownOutcome
  /** The op in a few words: `write 3`, `read → 3`, `cas 1 → 2`. */
  label: string
}

/** One step of the longest linearizable prefix. */
export interface PrefixStep extends OpRef {
  /** 1-based position in the linearization. */
  position: number
  /** A time inside the op's interval at which it can take effect, consistent with the order of the prefix. */
  linearizedAt: number
  stateAfter: unknown
}

/** An op that could not take effect next, at the end of the longest linearizable prefix. */
export interface StuckOp extends OpRef {
  /** An ok op: it must take effect, by its completion at the latest. Unknown-outcome ops may never take effect. */
  required: boolean
  /** Its completion is the earliest still open: it had to go next, or one of the other stuck ops before it. */
  blocking: boolean
  /**
   * Whether the model accepts it in the state reached. A legal op is listed because every continuation after it
   * failed; the culprits are the required ops that are not legal.
   */
  legal: boolean
  /** An op no remaining op can make legal any more (a read or a cas): the state has moved past it for good. */
  unreachable: boolean
  /** Why it cannot go next. */
  reason: string
}

/** Why one key's history is not linearizable. */
export interface KeyFailure {
  /** `null` for ops without a key. */
  key: string | null
  /** One line. */
  message: string
  /** Several lines of plain text: the prefix, the state, the stuck ops. */
  explanation: string
  /** The model state at the end of the longest prefix. */
  state: unknown
  stuck: StuckOp[]
  /** Length of the longest linearizable prefix found; only its last steps are listed. */
  prefixLength: number
  prefixOmitted: number
  /** The state before the first listed step (the initial state when nothing is omitted). */
  prefixStartState: unknown
  prefix: PrefixStep[]
}

export interface KeyUnknown {
  key: string | null
  reason: string
}

export interface LinearizabilityStats {
  /** Client operations (invocations) in the history. */
  clientOps: number
  okOps: number
  /** Ended `info` or never completed. */
  unknownOps: number
  failOps: number
  /** Reads that ended unknown: they constrain nothing. */
  unknownReadsDropped: number
  /** Unknown-outcome updates shown not to matter before the search. */
  unknownUpdatesPruned: number
  /** Ops the searches considered. */
  searchedOps: number
  /** Memoised configurations, all keys together, and the most for one key. */
  configs: number
  maxConfigsPerKey: number
  /** Candidate ops tried, all keys together. */
  steps: number
  elapsedMs: number
}

export interface LinearizabilityResult {
  valid: Validity
  model: ModelName
  /** Why the verdict is 'unknown' (or, with a false verdict, why some keys went unchecked). */
  reason?: string
  keys: { total: number; linearizable: number; nonlinearizable: number; unknown: number }
  /** One per non-linearizable key, up to a cap; `failuresOmitted` counts the rest. */
  failures: KeyFailure[]
  failuresOmitted: number
  /** Keys whose verdict is unknown, up to the same cap. */
  unknownKeys: KeyUnknown[]
  stats: LinearizabilityStats
}
