import { HistoryFormatError } from '../core/history/history-format-error.js'
import type { Op } from '../core/history/op.js'
import type { Anomaly, CheckContext, CheckResult, Checker } from './checker.js'

/** How many differing elements each divergence anomaly lists; the counts are always exact. */
const MAX_LISTED_ELEMENTS = 20

/**
 * Compares the nodes' final states (the ok reads flagged `final`, taken after every fault was healed) against the
 * primary's. After healing, semi-sync replicas must have converged: a replica holding what the primary lacks (or the
 * reverse) is an errant or lost transaction. Values are compared as sets of JSON-serialised elements, so any workload
 * whose final read returns an array can use it: contents, never counts (two states of the same size that hold
 * different values diverge). When both states are `[key, value]` pairs (the register workload's), the keys whose
 * values differ are named too.
 */
export class DivergenceChecker implements Checker {
  readonly name = 'divergence'

  check(history: readonly Op[], _ctx?: CheckContext): CheckResult {
    const { states, unreadable, withoutNode } = finalStatesByNode(history)
    const readable = [...states.keys()].sort()
    const unreadableNodes = [...unreadable].filter((node) => !states.has(node)).sort()
    // Were two nodes read as primary (split brain), the later read is the reference.
    const primaries = [...states.values()].filter((s) => s.role === 'primary')
    const primary = primaries.sort((a, b) => a.okIndex - b.okIndex).at(-1)
    const reference = primary?.node ?? readable[0]
    const baseStats = {
      reference: reference ?? null,
      referenceSource: primary !== undefined ? 'primary' : reference !== undefined ? 'alphabetical' : 'none',
      nodes: Object.fromEntries(readable.map((node) => [node, states.get(node)?.elements.size ?? 0])),
      unreadableNodes,
      finalReadsWithoutNode: withoutNode,
    }
    if (reference === undefined || readable.length < 2) {
      const reason =
        readable.length === 0
          ? 'no final state was read (no final phase), so nothing to compare'
          : `only ${readable[0]}'s final state was read${unreadableNodes.length > 0 ? ` (${unreadableNodes.join(', ')} unreadable)` : ''}, so nothing to compare`
      return { valid: 'unknown', reason, anomalies: [], stats: { ...baseStats, divergentNodes: [] } }
    }

    const referenceElements = states.get(reference)?.elements ?? new Map<string, unknown>()
    const errant = errantTransactionsAtRecovery(history)
    const anomalies: Anomaly[] = []
    for (const node of readable) {
      if (node === reference) continue
      const elements = states.get(node)?.elements ?? new Map<string, unknown>()
      const missing = difference(referenceElements, elements)
      const extra = difference(elements, referenceElements)
      if (missing.count === 0 && extra.count === 0) continue
      const keys = differingKeys(referenceElements, elements)
      anomalies.push({
        kind: 'divergence',
        message:
          `final state of ${node} differs from ${reference}'s: ` +
          `${missing.count} element(s) missing, ${extra.count} extra` +
          (keys === null || keys.count === 0 ? '' : `; ${keys.count} key(s) hold different values`),
        evidence: {
          node,
          reference,
          missing: missing.first,
          extra: extra.first,
          missingCount: missing.count,
          extraCount: extra.count,
          ...(keys === null ? {} : { differingKeys: keys.first, differingKeyCount: keys.count }),
          ...(errant[node] ? { errantTransactions: errant[node] } : {}),
        },
      })
    }
    return {
      valid: anomalies.length > 0 ? false : true,
      anomalies,
      stats: { ...baseStats, divergentNodes: anomalies.map((a) => a.evidence['node']) },
    }
  }
}

/**
 * The errant transactions the final phase found per node (the `recovery` op's `errant`: what a node executed that the
 * primary did not, as GTIDs), the server's own account of a divergence.
 */
function errantTransactionsAtRecovery(history: readonly Op[]): Record<string, string> {
  const recovery = history.findLast((op) => op.process === 'nemesis' && op.f === 'recovery' && op.type !== 'invoke')
  const errant = (recovery?.value as { errant?: unknown } | null | undefined)?.errant
  if (typeof errant !== 'object' || errant === null) return {}
  return Object.fromEntries(
    Object.entries(errant).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}

interface NodeState {
  node: string
  role: 'primary' | 'replica' | undefined
  /** Index of the ok that gave this state: with several final reads of a node, the last one wins. */
  okIndex: number
  /** JSON text → the element as read. */
  elements: Map<string, unknown>
}

/**
 * Pairs invokes with completions per process and keeps the final-phase reads. A final read that ended fail/info,
 * or never completed, marks its node unreadable unless another final read of that node succeeded.
 */
function finalStatesByNode(history: readonly Op[]): {
  states: Map<string, NodeState>
  unreadable: Set<string>
  withoutNode: number
} {
  const states = new Map<string, NodeState>()
  const unreadable = new Set<string>()
  let withoutNode = 0
  const inFlight = new Map<number, Op>()
  const settle = (invoke: Op, completion: Op | null): void => {
    if (invoke.final !== true && completion?.final !== true) return
    const node = completion?.node ?? invoke.node
    if (node === undefined) {
      withoutNode++
      return
    }
    if (completion === null || completion.type !== 'ok') {
      unreadable.add(node)
      return
    }
    if (!Array.isArray(completion.value)) {
      const what = `final read at index ${completion.index} of ${node}`
      throw new HistoryFormatError(`divergence checker: ${what} returned a ${typeof completion.value}, not an array`, {
        opIndex: completion.index,
      })
    }
    const elements = new Map<string, unknown>()
    for (const element of completion.value as unknown[]) elements.set(elementText(element), element)
    states.set(node, { node, role: completion.role ?? invoke.role, okIndex: completion.index, elements })
  }

  for (const op of history) {
    if (op.process === 'nemesis') continue
    if (op.type === 'invoke') {
      inFlight.set(op.process, op)
      continue
    }
    const invoke = inFlight.get(op.process)
    if (invoke === undefined || invoke.f !== op.f) continue
    inFlight.delete(op.process)
    settle(invoke, op)
  }
  // The run ended before these completed: as good as info.
  for (const invoke of inFlight.values()) settle(invoke, null)
  return { states, unreadable, withoutNode }
}

/**
 * An element's JSON text, the key two nodes' states are compared by. Set elements are numbers, whose JSON text is
 * their `String` form when finite: that skips `JSON.stringify`'s general path for the tens of thousands of elements
 * each final read holds.
 */
function elementText(element: unknown): string {
  if (typeof element === 'number' && Number.isFinite(element)) return String(element)
  return JSON.stringify(element) ?? 'undefined'
}

/** Elements of `a` that `b` lacks: the first few (in `a`'s order) and how many in all. */
function difference(
  a: ReadonlyMap<string, unknown>,
  b: ReadonlyMap<string, unknown>,
): { first: unknown[]; count: number } {
  const first: unknown[] = []
  let count = 0
  for (const [json, element] of a) {
    if (b.has(json)) continue
    count++
    if (first.length < MAX_LISTED_ELEMENTS) first.push(element)
  }
  return { first, count }
}

/** The elements as a key → value map when every one is a `[key, value]` pair with a string or number key; else null. */
function asKeyValues(elements: ReadonlyMap<string, unknown>): Map<string, unknown> | null {
  const byKey = new Map<string, unknown>()
  for (const element of elements.values()) {
    if (!Array.isArray(element) || element.length !== 2) return null
    const [key, value] = element as [unknown, unknown]
    if (typeof key !== 'string' && typeof key !== 'number') return null
    byKey.set(JSON.stringify(key), value)
  }
  return byKey
}

/**
 * For `[key, value]` states: the keys both nodes hold with different values (the first few, and how many), or null
 * when either state is not made of such pairs.
 */
function differingKeys(
  a: ReadonlyMap<string, unknown>,
  b: ReadonlyMap<string, unknown>,
): { first: unknown[]; count: number } | null {
  const left = asKeyValues(a)
  const right = asKeyValues(b)
  if (left === null || right === null) return null
  const first: unknown[] = []
  let count = 0
  for (const [key, value] of left) {
    if (!right.has(key) || JSON.stringify(right.get(key)) === JSON.stringify(value)) continue
    count++
    if (first.length < MAX_LISTED_ELEMENTS) first.push(JSON.parse(key))
  }
  return { first, count }
}
