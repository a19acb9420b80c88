import { HistoryFormatError } from '../../../core/history/history-format-error.js'
import { REJECTED } from '../model.js'
import type { Model, ModelOp, StepResult } from '../model.js'
import { ValueInterner, valueKey } from '../value-key.js'

const READ = 0
const WRITE = 1
const CAS = 2

/** A compiled register op. Values are interned ids; the step result is built once here, so `step` never allocates. */
interface RegisterInput {
  readonly kind: typeof READ | typeof WRITE | typeof CAS
  /** read: the value read; write: the value written; cas: the expected value. */
  readonly a: number
  /** cas: the new value. */
  readonly b: number
  readonly accepted: StepResult<number>
}

/**
 * A read/write/compare-and-set register, initially `null`. The state is the interned id of the current value, so
 * comparing and hashing states is integer work. A `cas` whose expected value does not match is rejected: an `ok` cas
 * must have matched, and a cas that did not match failed and never took effect.
 */
export class RegisterModel implements Model<number, RegisterInput> {
  readonly name = 'register' as const
  private readonly values = new ValueInterner()
  private readonly initial = this.values.intern(null)
  /** Values some read returned or some cas expected, by id. */
  private readonly observed = new Set<number>()

  isRead(f: string): boolean {
    return f === 'read'
  }

  compile(op: ModelOp): RegisterInput {
    switch (op.f) {
      case 'read': {
        const value = this.values.intern(op.value)
        this.observed.add(value)
        return this.input(READ, value, -1)
      }
      case 'write':
        return this.input(WRITE, this.values.intern(op.value), -1)
      case 'cas': {
        const [expected, next] = casPair(op.value)
        const expectedId = this.values.intern(expected)
        this.observed.add(expectedId)
        return this.input(CAS, expectedId, this.values.intern(next))
      }
      default:
        throw new HistoryFormatError(`the register model knows read, write and cas, not ${JSON.stringify(op.f)}`)
    }
  }

  init(): number {
    return this.initial
  }

  step(state: number, input: RegisterInput): StepResult<number> {
    if (input.kind === WRITE) return input.accepted
    return state === input.a ? input.accepted : REJECTED
  }

  plausible(state: number): boolean {
    return this.observed.has(state)
  }

  /** Values nobody observes are all alike: from any of them, every read and cas fails and every write agrees. */
  hash(state: number): number {
    return this.observed.has(state) ? state : -1
  }

  equals(a: number, b: number): boolean {
    return a === b || (!this.observed.has(a) && !this.observed.has(b))
  }

  describe(state: number): unknown {
    return this.values.valueOf(state)
  }

  whyRejected(state: number, input: RegisterInput): string {
    const held = JSON.stringify(this.values.valueOf(state))
    const a = JSON.stringify(this.values.valueOf(input.a))
    if (input.kind === READ) return `read ${a}, but the register holds ${held}`
    if (input.kind === CAS) return `cas expected ${a}, but the register holds ${held}`
    return 'a write is always legal'
  }

  /**
   * An unknown write (or cas) of a value that no op ever observes can be left out: were it to take effect, the next op
   * to depend on the state would have to observe its value, and none does. Observers are ok reads and the expected
   * values of ok and kept unknown cas ops; dropping a cas drops its observation, hence the fixpoint.
   */
  droppableUnknowns(unknowns: readonly ModelOp[], oks: readonly ModelOp[]): boolean[] {
    const okObserved = observedValues(oks)
    const dropped = unknowns.map(() => false)
    for (let changed = true; changed;) {
      changed = false
      const observed = new Set(okObserved)
      unknowns.forEach((op, i) => {
        if (!dropped[i] && op.f === 'cas') observed.add(valueKey(casPair(op.value)[0]))
      })
      unknowns.forEach((op, i) => {
        if (dropped[i]) return
        const written = op.f === 'write' ? op.value : op.f === 'cas' ? casPair(op.value)[1] : undefined
        if ((op.f === 'write' || op.f === 'cas') && !observed.has(valueKey(written))) {
          dropped[i] = true
          changed = true
        }
      })
    }
    return dropped
  }

  reachableFrom(state: number, input: RegisterInput): boolean {
    return input.kind === WRITE || state === input.a
  }

  producers(inputs: readonly RegisterInput[]): (number[] | null)[] {
    const byValue = new Map<number, number[]>()
    inputs.forEach((input, i) => {
      if (input.kind === READ) return
      const produced = input.kind === WRITE ? input.a : input.b
      let list = byValue.get(produced)
      if (list === undefined) byValue.set(produced, (list = []))
      list.push(i)
    })
    return inputs.map((input) => (input.kind === WRITE ? null : (byValue.get(input.a) ?? [])))
  }

  overwrites(input: RegisterInput): boolean {
    return input.kind === WRITE
  }

  /** Writes of values no read returned and no cas expected (the ops given are ok reads and all kept updates). */
  unobservedUpdates(ops: readonly ModelOp[]): boolean[] {
    const observed = observedValues(ops)
    return ops.map((op) => op.f === 'write' && !observed.has(valueKey(op.value)))
  }

  private input(kind: RegisterInput['kind'], a: number, b: number): RegisterInput {
    const next = kind === CAS ? b : a
    return { kind, a, b, accepted: { ok: true, state: next } }
  }
}

/** The values some op depends on: what reads returned and what cas ops expected. */
function observedValues(ops: readonly ModelOp[]): Set<string> {
  const observed = new Set<string>()
  for (const op of ops) {
    if (op.f === 'read') observed.add(valueKey(op.value))
    else if (op.f === 'cas') observed.add(valueKey(casPair(op.value)[0]))
  }
  return observed
}

function casPair(value: unknown): [unknown, unknown] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new HistoryFormatError(`a cas value must be [expected, new], got ${JSON.stringify(value)}`)
  }
  return [value[0], value[1]]
}
