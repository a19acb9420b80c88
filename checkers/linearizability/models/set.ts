import { HistoryFormatError } from '../../../core/history/history-format-error.js'
import { REJECTED } from '../model.js'
import type { Model, ModelOp, StepResult } from '../model.js'
import { ValueInterner, valueKey } from '../value-key.js'

/** Bits per word of a member bitset: 30 keeps every word a small integer, which V8 stores unboxed. */
const BITS = 30

interface SetState {
  /** Membership bitset over interned element ids. */
  readonly words: readonly number[]
  readonly count: number
  /** XOR of the members' mixed ids. */
  readonly hash: number
  readonly accepted: StepResult<SetState>
  /** Whether some read's set contains this one; undefined until first asked. */
  plausible: boolean | undefined
}

const ADD = 0
const READ = 1

interface SetInput {
  readonly kind: typeof ADD | typeof READ
  /** add: the element's id; read: -1. */
  readonly element: number
  /** read: the distinct elements read, as ids. */
  readonly members: readonly number[]
  readonly count: number
  readonly hash: number
  /** read: the bitset, built on first use (the word count is known only once every op is compiled). */
  words: number[] | null
}

/**
 * A grow-only set with `add` and `read`, where a read returns the whole set as an array, compared as a set (order and
 * duplicates ignored). Initially empty.
 */
export class SetModel implements Model<SetState, SetInput> {
  readonly name = 'set' as const
  private readonly elements = new ValueInterner()
  private wordCount = 0
  /** Every read compiled: the states no read contains are all alike (see `hash`). */
  private readonly reads: SetInput[] = []

  isRead(f: string): boolean {
    return f === 'read'
  }

  compile(op: ModelOp): SetInput {
    if (op.f === 'add') {
      return { kind: ADD, element: this.elements.intern(op.value), members: [], count: 0, hash: 0, words: null }
    }
    if (op.f !== 'read') throw new HistoryFormatError(`the set model knows add and read, not ${JSON.stringify(op.f)}`)
    const value = op.value === null || op.value === undefined ? [] : op.value
    if (!Array.isArray(value))
      throw new HistoryFormatError(`a set read must return an array, got ${JSON.stringify(op.value)}`)
    const members = [...new Set(value.map((element) => this.elements.intern(element)))]
    const hash = members.reduce((h, id) => h ^ mix(id), 0)
    const input: SetInput = { kind: READ, element: -1, members, count: members.length, hash, words: null }
    this.reads.push(input)
    return input
  }

  init(): SetState {
    this.wordCount = Math.ceil(this.elements.size / BITS)
    return state(new Array<number>(this.wordCount).fill(0), 0, 0)
  }

  step(current: SetState, input: SetInput): StepResult<SetState> {
    if (input.kind === ADD) {
      const word = (input.element / BITS) | 0
      const bit = 1 << (input.element % BITS)
      const have = current.words[word] ?? 0
      if ((have & bit) !== 0) return current.accepted
      const words = current.words.slice()
      words[word] = have | bit
      return state(words, current.count + 1, current.hash ^ mix(input.element)).accepted
    }
    if (current.count !== input.count || current.hash !== input.hash) return REJECTED
    const words = (input.words ??= this.bitset(input.members))
    for (let i = 0; i < words.length; i++) if (words[i] !== (current.words[i] ?? 0)) return REJECTED
    return current.accepted
  }

  /** Sets only grow: a read is reachable while the state holds nothing it lacks. */
  reachableFrom(current: SetState, input: SetInput): boolean {
    if (input.kind !== READ) return true
    if (current.count > input.count) return false
    const words = (input.words ??= this.bitset(input.members))
    for (let i = 0; i < current.words.length; i++) if (((current.words[i] ?? 0) & ~(words[i] ?? 0)) !== 0) return false
    return true
  }

  producers(inputs: readonly SetInput[]): (number[] | null)[] {
    return inputs.map((input) => (input.kind === READ ? [] : null))
  }

  /** Some read's set contains this one: a later read could still see it, or what adds make of it. */
  plausible(current: SetState): boolean {
    current.plausible ??= this.reads.some((read) => this.reachableFrom(current, read))
    return current.plausible
  }

  /** Sets no read contains are all alike: every read fails from them and from whatever adds make of them. */
  hash(current: SetState): number {
    return this.plausible(current) ? current.hash : -1
  }

  equals(a: SetState, b: SetState): boolean {
    if (a === b) return true
    const plausible = this.plausible(a)
    if (plausible !== this.plausible(b)) return false
    if (!plausible) return true
    if (a.count !== b.count || a.hash !== b.hash) return false
    const length = Math.max(a.words.length, b.words.length)
    for (let i = 0; i < length; i++) if ((a.words[i] ?? 0) !== (b.words[i] ?? 0)) return false
    return true
  }

  describe(current: SetState): unknown {
    return sortValues(this.membersOf(current).map((id) => this.elements.valueOf(id)))
  }

  whyRejected(current: SetState, input: SetInput): string {
    if (input.kind === ADD) return 'an add is always legal'
    const held = new Set(this.membersOf(current))
    const read = new Set(input.members)
    const missing = [...held].filter((id) => !read.has(id)).map((id) => this.elements.valueOf(id))
    const extra = [...read].filter((id) => !held.has(id)).map((id) => this.elements.valueOf(id))
    const parts = [`read ${read.size} element(s), but the set holds ${held.size}`]
    if (missing.length > 0) parts.push(`missing from the read: ${listSome(missing)}`)
    if (extra.length > 0) parts.push(`read but not in the set: ${listSome(extra)}`)
    return parts.join('; ')
  }

  /** An unknown add of an element no ok read contains can be left out: once added, every later read would hold it. */
  droppableUnknowns(unknowns: readonly ModelOp[], oks: readonly ModelOp[]): boolean[] {
    const seen = new Set<string>()
    for (const op of oks) {
      if (op.f === 'read' && Array.isArray(op.value)) for (const element of op.value) seen.add(valueKey(element))
    }
    return unknowns.map((op) => op.f === 'add' && !seen.has(valueKey(op.value)))
  }

  private bitset(members: readonly number[]): number[] {
    const words = new Array<number>(this.wordCount).fill(0)
    for (const id of members) {
      const w = (id / BITS) | 0
      words[w] = (words[w] ?? 0) | (1 << (id % BITS))
    }
    return words
  }

  private membersOf(current: SetState): number[] {
    const ids: number[] = []
    current.words.forEach((word, w) => {
      for (let b = 0; b < BITS; b++) if ((word & (1 << b)) !== 0) ids.push(w * BITS + b)
    })
    return ids
  }
}

function state(words: number[], count: number, hash: number): SetState {
  const created: { -readonly [K in keyof SetState]: SetState[K] } = {
    words,
    count,
    hash,
    accepted: { ok: false },
    plausible: undefined,
  }
  created.accepted = { ok: true, state: created }
  return created
}

/** Spreads an element id over 32 bits so XOR-ing a few of them rarely collides. */
function mix(id: number): number {
  let h = Math.imul(id + 0x7f4a7c15, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

function sortValues(values: unknown[]): unknown[] {
  return values.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : valueKey(a) < valueKey(b) ? -1 : 1,
  )
}

function listSome(values: unknown[]): string {
  const shown = sortValues(values)
    .slice(0, 10)
    .map((v) => JSON.stringify(v))
  return values.length > 10 ? `${shown.join(', ')} … (+${values.length - 10} more)` : shown.join(', ')
}
