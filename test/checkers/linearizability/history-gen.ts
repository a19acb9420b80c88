import fc from 'fast-check'
import type { Op, OpType } from '../../../core/history/op.js'
import type { ModelName } from '../../../checkers/linearizability/index.js'
import { REFERENCE_MODELS } from './reference-models.js'

/** One scheduling decision: which process slot acts, and the dice for what it does. */
export interface ScheduleStep {
  slot: number
  /** Decides between invoke / take effect / complete, and the outcome. */
  choice: number
  /** Picks the op and its argument. */
  pick: number
  key: number
}

export interface Schedule {
  model: ModelName
  slots: number
  /** 0: ops carry no key; otherwise keys k0..k(keys-1). */
  keys: number
  maxOps: number
  steps: ScheduleStep[]
}

const FS: Record<ModelName, string[]> = {
  register: ['read', 'write', 'cas', 'read', 'write'],
  kv: ['get', 'put', 'append', 'get', 'append'],
  set: ['add', 'read', 'add'],
}

/** An argument from a small domain, so that reads often match and cas often fails. */
function argument(model: ModelName, f: string, pick: number): unknown {
  const v = (pick >>> 3) % 3
  if (model === 'register')
    return f === 'cas' ? [v === 0 ? null : v, ((pick >>> 5) % 3) + 1] : f === 'write' ? v + 1 : null
  if (model === 'kv') return f === 'get' ? null : ['a', 'b', 'ab', ''][(pick >>> 3) % 4]
  return f === 'add' ? (pick >>> 3) % 5 : null
}

interface InFlight {
  f: string
  key: string | undefined
  value: unknown
  /** undefined: has not taken effect; otherwise what a completion would report. */
  effect: undefined | { matched: boolean; result: unknown }
}

/**
 * Runs a random concurrent schedule against the sequential model: each op is invoked, takes effect at a moment of its
 * own choosing between invocation and completion (its result computed from the model then), and completes ok; or it
 * fails without taking effect, or ends info having taken effect or not, or never completes. A cas that does not match
 * fails. The history is linearizable by construction.
 */
export function runSchedule(schedule: Schedule): Op[] {
  const model = REFERENCE_MODELS[schedule.model]
  const history: Op[] = []
  const states = new Map<string | undefined, unknown>()
  const slots: { process: number; op: InFlight | null }[] = Array.from({ length: schedule.slots }, (_, i) => ({
    process: i,
    op: null,
  }))
  let nextProcess = schedule.slots
  let invoked = 0
  let time = 0
  const emit = (process: number, type: OpType, op: InFlight, value: unknown): void => {
    time += 1 + (time % 7)
    history.push({
      index: history.length,
      time,
      process,
      type,
      f: op.f,
      value,
      ...(op.key === undefined ? {} : { key: op.key }),
    })
  }
  for (const step of schedule.steps) {
    const slot = slots[step.slot % slots.length] as (typeof slots)[number]
    const op = slot.op
    const dice = step.choice % 10
    if (op === null) {
      if (invoked >= schedule.maxOps) continue
      const f = FS[schedule.model][step.pick % FS[schedule.model].length] as string
      const key = schedule.keys === 0 ? undefined : `k${step.key % schedule.keys}`
      slot.op = { f, key, value: argument(schedule.model, f, step.pick), effect: undefined }
      invoked++
      emit(slot.process, 'invoke', slot.op, slot.op.value)
    } else if (op.effect === undefined) {
      if (dice === 0) {
        emit(slot.process, 'fail', op, op.value)
        slot.op = null
      } else if (dice === 1) {
        emit(slot.process, 'info', op, model.isRead(op.f) ? null : op.value)
        slot.op = null
        slot.process = nextProcess++
      } else {
        // Take effect now.
        const state = states.has(op.key) ? states.get(op.key) : model.init()
        if (model.isRead(op.f)) op.effect = { matched: true, result: model.readResult(state) }
        else {
          const applied = model.apply(state, op.f, op.value)
          if (applied.ok) states.set(op.key, applied.state)
          op.effect = { matched: applied.ok, result: op.value }
        }
      }
    } else {
      if (dice <= 1) {
        emit(slot.process, 'info', op, model.isRead(op.f) ? null : op.value)
        slot.process = nextProcess++
      } else if (!op.effect.matched) emit(slot.process, 'fail', op, op.value)
      else emit(slot.process, 'ok', op, shuffled(op.effect.result, step.pick))
      slot.op = null
    }
  }
  return history
}

/** A set read's array in some order (it is compared as a set). */
function shuffled(value: unknown, seed: number): unknown {
  if (!Array.isArray(value) || value.length < 2) return value
  const copy = [...value]
  const shift = seed % copy.length
  return [...copy.slice(shift), ...copy.slice(0, shift)].reverse()
}

export function scheduleArb(
  model: ModelName,
  size: { maxSlots: number; maxKeys: number; maxOps: number; maxSteps: number },
): fc.Arbitrary<Schedule> {
  return fc.record({
    model: fc.constant(model),
    slots: fc.integer({ min: 1, max: size.maxSlots }),
    keys: fc.integer({ min: 0, max: size.maxKeys }),
    maxOps: fc.constant(size.maxOps),
    steps: fc.array(
      fc.record({
        slot: fc.nat({ max: 63 }),
        choice: fc.nat({ max: 1023 }),
        pick: fc.nat({ max: 1023 }),
        key: fc.nat({ max: 7 }),
      }),
      { maxLength: size.maxSteps, size: 'max' },
    ),
  })
}

/** A way to break a history: change one completion's value, or turn one outcome into another. */
export interface Mutation {
  target: number
  kind: 'value' | 'fail-to-ok' | 'info-to-ok' | 'drop-completion'
  pick: number
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  target: fc.nat({ max: 1000 }),
  kind: fc.constantFrom<Mutation['kind']>('value', 'value', 'fail-to-ok', 'info-to-ok', 'drop-completion'),
  pick: fc.nat({ max: 1023 }),
})

/** Applies mutations to completions (the result may or may not still be linearizable). */
export function mutate(history: readonly Op[], model: ModelName, mutations: readonly Mutation[]): Op[] {
  const isRead = REFERENCE_MODELS[model].isRead
  let ops = history.map((op) => ({ ...op }))
  for (const m of mutations) {
    const completions = ops.filter((op) => op.type !== 'invoke' && typeof op.process === 'number')
    // A value mutation aims at an ok read, the only completion whose value the checker reads.
    const pool = m.kind === 'value' ? completions.filter((op) => op.type === 'ok' && isRead(op.f)) : completions
    const target = pool[m.target % Math.max(1, pool.length)]
    if (target === undefined) continue
    if (m.kind === 'value') {
      target.value =
        model === 'set' ? [m.pick % 5, (m.pick >>> 3) % 5] : argument(model, model === 'kv' ? 'put' : 'write', m.pick)
    } else if (m.kind === 'fail-to-ok' && target.type === 'fail') target.type = 'ok'
    else if (m.kind === 'info-to-ok' && target.type === 'info' && !isRead(target.f)) target.type = 'ok'
    else if (m.kind === 'drop-completion' && target.type !== 'ok') {
      // Only a process's last completion: a process may not invoke again while an op is in flight.
      const later = ops.some((op) => op.process === target.process && op.index > target.index)
      if (!later) ops = ops.filter((op) => op !== target)
    }
  }
  return ops.map((op, index) => ({ ...op, index }))
}

/**
 * Histories with no model behind them: ops invoked and completed at random, with random outcomes and read results.
 * Mostly not linearizable; a different shape of input from the mutated schedules.
 */
export function randomHistoryArb(model: ModelName, maxOps: number): fc.Arbitrary<Op[]> {
  return fc
    .array(fc.record({ slot: fc.nat({ max: 3 }), pick: fc.nat({ max: 1023 }), outcome: fc.nat({ max: 9 }) }), {
      maxLength: 3 * maxOps,
      size: 'max',
    })
    .map((steps) => {
      const history: Op[] = []
      const open = new Map<number, Op>()
      const process = [0, 1, 2, 3]
      let invoked = 0
      for (const step of steps) {
        const p = process[step.slot] as number
        const inFlight = open.get(p)
        if (inFlight === undefined) {
          if (invoked++ >= maxOps) continue
          const f = FS[model][step.pick % FS[model].length] as string
          const op: Op = {
            index: history.length,
            time: history.length * 10,
            process: p,
            type: 'invoke',
            f,
            value: argument(model, f, step.pick),
          }
          if (step.pick % 3 === 0) op.key = 'k1'
          history.push(op)
          open.set(p, op)
          continue
        }
        const type = step.outcome < 6 ? 'ok' : step.outcome < 8 ? 'fail' : 'info'
        const read = REFERENCE_MODELS[model].isRead(inFlight.f)
        const value =
          read && type === 'ok'
            ? model === 'set'
              ? [step.pick % 3, (step.pick >>> 2) % 4]
              : argument(model, model === 'kv' ? 'put' : 'write', step.pick)
            : inFlight.value
        history.push({ ...inFlight, index: history.length, time: history.length * 10, type, value })
        open.delete(p)
        if (type === 'info') process[step.slot] = p + 4
      }
      return history
    })
}

/**
 * The checker's verdict for a history whose reference verdict is `linearizable`: the same, except that a history
 * with no client operation is 'unknown' (nothing was checked).
 */
export function expectedVerdict(history: readonly Op[], linearizable: boolean): boolean | 'unknown' {
  return history.some((op) => typeof op.process === 'number') ? linearizable : 'unknown'
}
