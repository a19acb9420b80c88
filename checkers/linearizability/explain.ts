import { linearizationOf } from './config.js'
import type { Config } from './config.js'
import { opRef } from './op-ref.js'
import type { PairedOp } from './pair-ops.js'
import { UNKNOWN } from './search-problem.js'
import type { SearchProblem } from './search-problem.js'
import { shortenValue, valueText } from './shorten-value.js'
import type { KeyFailure, PrefixStep, StuckOp } from './types.js'

/** Only the end of a long prefix is listed: that is where it went wrong. */
export const MAX_PREFIX_STEPS = 100

/**
 * Explains a failed search from its deepest configuration (the longest linearizable prefix it found). There, either
 * every candidate op (invoked before the earliest open completion) is rejected by the model, since had one been
 * accepted the search would have gone deeper; or some ok op, a candidate or a later one, can never become legal again
 * (the search abandons such configurations at once), and the legal candidates are listed as dead ends.
 */
export function explainFailure<S, I>(
  problem: SearchProblem<S, I>,
  key: string | undefined,
  deepest: Config<S>,
): KeyFailure {
  const { model, ops, inputs, kinds } = problem
  const path = linearizationOf(deepest)
  const linearized = new Uint8Array(ops.length)
  for (const step of path) linearized[step.op] = 1

  const prefix = prefixSteps(problem, path)
  const shown = prefix.slice(-MAX_PREFIX_STEPS)
  const omitted = prefix.length - shown.length
  const stateBeforeShown = omitted === 0 ? model.init() : (path[omitted - 1] as Config<S>).state

  let blocking = -1
  ops.forEach((op, k) => {
    if (
      linearized[k] === 0 &&
      kinds[k] !== UNKNOWN &&
      (blocking < 0 || op.completePos < (ops[blocking] as PairedOp).completePos)
    ) {
      blocking = k
    }
  })
  const deadline = blocking < 0 ? Infinity : (ops[blocking] as PairedOp).completePos
  const stuck: StuckOp[] = []
  ops.forEach((op, k) => {
    if (linearized[k] === 1) return
    const legal = model.step(deepest.state, inputs[k] as I).ok
    const unreachable = !legal && kinds[k] !== UNKNOWN && cannotComeBack(problem, deepest.state, k, linearized)
    // The candidates (invoked before the earliest open completion), and any later op that can never be placed.
    if (op.invokePos > deadline && !unreachable) return
    const why = legal
      ? 'legal here, but every way on from there was searched and failed'
      : model.whyRejected(deepest.state, inputs[k] as I)
    stuck.push({
      ...opRef(op, model),
      required: kinds[k] !== UNKNOWN,
      blocking: k === blocking,
      legal,
      unreachable,
      reason: unreachable ? `${why}, and no remaining op can make it legal` : why,
    })
  })
  // The culprits first: ops that can never be placed, then the op that had to go next, then the other required ops.
  const culprit = (op: StuckOp): number =>
    op.unreachable ? 0 : op.blocking && !op.legal ? 1 : op.required && !op.legal ? 2 : 3
  stuck.sort(
    (a, b) => culprit(a) - culprit(b) || Number(b.required) - Number(a.required) || a.invokeIndex - b.invokeIndex,
  )

  const keyText = key === undefined ? 'The history (no keys)' : `Key ${JSON.stringify(key)}`
  const state = shortenValue(model.describe(deepest.state))
  const first = stuck[0]
  const message =
    first === undefined
      ? `${keyText} is not linearizable (${model.name})`
      : `${keyText} is not linearizable (${model.name}): after the longest linearizable prefix (${plural(prefix.length, 'op')}, ` +
        `state ${valueText(state)}), op ${first.invokeIndex} (process ${first.process}, ${first.label}) cannot take ` +
        `effect: ${first.reason}`
  return {
    key: key ?? null,
    message,
    explanation: explanationText(
      keyText,
      model.name,
      shown,
      omitted,
      shortenValue(model.describe(stateBeforeShown)),
      state,
      stuck,
    ),
    state,
    stuck,
    prefixLength: prefix.length,
    prefixOmitted: omitted,
    prefixStartState: shortenValue(model.describe(stateBeforeShown)),
    prefix: shown,
  }
}

/** Whether no op left could make op `k` legal again (see `Model.reachableFrom`). */
function cannotComeBack<S, I>(problem: SearchProblem<S, I>, state: S, k: number, linearized: Uint8Array): boolean {
  const { model, inputs } = problem
  const producers = problem.producers?.[k]
  if (producers === null || producers === undefined || model.reachableFrom === undefined) return false
  if (model.reachableFrom(state, inputs[k] as I)) return false
  return producers.every((producer) => linearized[producer] === 1)
}

/** The prefix with its states and linearization points: each as early as its invocation and the order allow. */
function prefixSteps<S, I>(problem: SearchProblem<S, I>, path: readonly Config<S>[]): PrefixStep[] {
  let point = -Infinity
  return path.map((config, i) => {
    const op = problem.ops[config.op] as PairedOp
    point = Math.max(point, op.invoke.time)
    // Only an ok completion bounds it: an info op may take effect after its completion was recorded.
    if (op.outcome === 'ok' && op.completion !== null) point = Math.min(point, op.completion.time)
    return {
      ...opRef(op, problem.model),
      position: i + 1,
      linearizedAt: point,
      stateAfter: shortenValue(problem.model.describe(config.state)),
    }
  })
}

function explanationText(
  keyText: string,
  modelName: string,
  shown: readonly PrefixStep[],
  omitted: number,
  startState: unknown,
  state: unknown,
  stuck: readonly StuckOp[],
): string {
  const lines = [`${keyText} is not linearizable as a ${modelName}.`]
  const total = shown.length + omitted
  lines.push(
    total === 0
      ? 'No op can take effect first.'
      : `Longest linearizable prefix: ${plural(total, 'op')}${omitted > 0 ? `, the last ${shown.length} listed` : ''}, from state ${valueText(startState)}:`,
  )
  for (const step of shown) {
    lines.push(`  ${step.position}. op ${step.invokeIndex} ${describeRef(step)} → state ${valueText(step.stateAfter)}`)
  }
  lines.push(`In state ${valueText(state)}, none of these can take effect next:`)
  for (const op of stuck) {
    const role = op.blocking
      ? 'must take effect before any other op completes'
      : op.required
        ? 'must take effect'
        : 'may take effect'
    lines.push(`  op ${op.invokeIndex} ${describeRef(op)} (${role}): ${op.reason}`)
  }
  return lines.join('\n')
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function describeRef(op: PrefixStep | StuckOp): string {
  const end = op.completeIndex === null ? 'never completed' : `${op.outcome} at index ${op.completeIndex}`
  return `[process ${op.process}, ${op.label}, invoked at index ${op.invokeIndex}, ${end}]`
}
