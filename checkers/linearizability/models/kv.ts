import { HistoryFormatError } from '../../../core/history/history-format-error.js'
import { REJECTED } from '../model.js'
import type { Model, ModelOp, StepResult } from '../model.js'

/**
 * A state of the string: a node of a trie whose edges are appended strings. Equal paths share a node, so states
 * compare and hash by id and `append` never copies. Two different paths to the same text are distinct nodes; that only
 * costs the search some repeated work (see `Model.equals`).
 */
interface KvNode {
  readonly id: number
  readonly text: string
  children: Map<string, KvNode> | null
  /** Id of `text` among the strings some get returned; -1 if none did; undefined until first asked. */
  contentId: number | undefined
  /** Whether some get returned a string starting with `text`; undefined until first asked. */
  plausible: boolean | undefined
  readonly accepted: StepResult<KvNode>
}

const GET = 0
const PUT = 1
const APPEND = 2

interface KvInput {
  readonly kind: typeof GET | typeof PUT | typeof APPEND
  readonly text: string
  /** get: the id of the string it returned. */
  readonly contentId: number
}

/** Past this much substring searching, `droppableUnknowns` gives up: pruning is an optimisation, not a duty. */
const MAX_PRUNING_WORK = 50_000_000

/**
 * A string value per key with get/put/append, initially `""`. A get that returned `null` (a key never written) reads
 * as `""`, the model's initial value.
 */
export class KvModel implements Model<KvNode, KvInput> {
  readonly name = 'kv' as const
  private nodes = 0
  private readonly root: KvNode = this.node('')
  /** Every string some get returned: a node's text is looked up here once, then compared by id. */
  private readonly gotten = new Map<string, number>()
  /** The same strings, sorted, for prefix searches; built on first use, after every op is compiled. */
  private sortedGotten: string[] | null = null

  isRead(f: string): boolean {
    return f === 'get'
  }

  compile(op: ModelOp): KvInput {
    switch (op.f) {
      case 'get': {
        const text = op.value === null || op.value === undefined ? '' : asText(op)
        let contentId = this.gotten.get(text)
        if (contentId === undefined) this.gotten.set(text, (contentId = this.gotten.size))
        return { kind: GET, text, contentId }
      }
      case 'put':
        return { kind: PUT, text: asText(op), contentId: -1 }
      case 'append':
        return { kind: APPEND, text: asText(op), contentId: -1 }
      default:
        throw new HistoryFormatError(`the kv model knows get, put and append, not ${JSON.stringify(op.f)}`)
    }
  }

  init(): KvNode {
    return this.root
  }

  step(state: KvNode, input: KvInput): StepResult<KvNode> {
    if (input.kind === GET) {
      if (state.contentId === undefined) state.contentId = this.gotten.get(state.text) ?? -1
      return state.contentId === input.contentId ? state.accepted : REJECTED
    }
    return this.child(input.kind === PUT ? this.root : state, input.text).accepted
  }

  /** Some get returned a string starting with this one: the appends so far are in an order some get saw. */
  plausible(state: KvNode): boolean {
    if (state.plausible === undefined) {
      const sorted = (this.sortedGotten ??= [...this.gotten.keys()].sort())
      // The strings starting with `text` sort together, right from where `text` itself would go.
      let lo = 0
      let hi = sorted.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if ((sorted[mid] as string) < state.text) lo = mid + 1
        else hi = mid
      }
      state.plausible = lo < sorted.length && (sorted[lo] as string).startsWith(state.text)
    }
    return state.plausible
  }

  /**
   * Texts no get's result starts with are all alike: no get can ever match them or what appends make of them, so the
   * search treats them as one state (k concurrent appends onto such a text make 2^k configurations, not k!).
   */
  hash(state: KvNode): number {
    return this.plausible(state) ? state.id : -1
  }

  equals(a: KvNode, b: KvNode): boolean {
    return a === b || (!this.plausible(a) && !this.plausible(b))
  }

  describe(state: KvNode): unknown {
    return state.text
  }

  whyRejected(state: KvNode, input: KvInput): string {
    if (input.kind !== GET) return `${input.kind === PUT ? 'a put' : 'an append'} is always legal`
    return `get returned ${JSON.stringify(input.text)}, but the value is ${JSON.stringify(state.text)}`
  }

  /**
   * An unknown append of `s` can be left out when no ok get returned a string containing `s` (were it to take effect,
   * every get until the next put would contain it); an unknown put of `s` when no ok get returned a string starting
   * with `s`. An append of `""` changes nothing.
   */
  droppableUnknowns(unknowns: readonly ModelOp[], oks: readonly ModelOp[]): boolean[] {
    const gets = oks.filter((op) => op.f === 'get').map((op) => (typeof op.value === 'string' ? op.value : ''))
    const haystackLength = gets.reduce((sum, text) => sum + text.length + 1, 0)
    if (haystackLength * unknowns.length > MAX_PRUNING_WORK)
      return unknowns.map((op) => op.f === 'append' && op.value === '')
    // The separator cannot match inside an argument that does not contain it (checked below).
    const haystack = `\u0000${gets.join('\u0000')}`
    return unknowns.map((op) => {
      if (op.f !== 'append' && op.f !== 'put') return false
      const text = typeof op.value === 'string' ? op.value : typeof op.value === 'number' ? String(op.value) : null
      if (text === null || text.includes('\u0000')) return false
      if (op.f === 'append') return text === '' || !haystack.includes(text)
      return !haystack.includes(`\u0000${text}`)
    })
  }

  reachableFrom(state: KvNode, input: KvInput): boolean {
    return input.kind !== GET || input.text.startsWith(state.text)
  }

  /** For each get, the puts of a prefix of its text, found by walking a character trie of the puts' texts. */
  producers(inputs: readonly KvInput[]): (number[] | null)[] {
    interface TrieNode {
      next: Map<string, TrieNode>
      puts: number[]
    }
    const root: TrieNode = { next: new Map(), puts: [] }
    inputs.forEach((input, i) => {
      if (input.kind !== PUT) return
      let node = root
      for (const c of input.text) {
        let child = node.next.get(c)
        if (child === undefined) node.next.set(c, (child = { next: new Map(), puts: [] }))
        node = child
      }
      node.puts.push(i)
    })
    return inputs.map((input) => {
      if (input.kind !== GET) return null
      const found = [...root.puts]
      let node: TrieNode | undefined = root
      for (const c of input.text) {
        node = node.next.get(c)
        if (node === undefined) break
        found.push(...node.puts)
      }
      return found
    })
  }

  overwrites(input: KvInput): boolean {
    return input.kind === PUT
  }

  /**
   * Puts of a string no get's result starts with, and appends of a string no get's result contains: until the next
   * put, every get would have shown them.
   */
  unobservedUpdates(ops: readonly ModelOp[]): boolean[] {
    const gets = ops.filter((op) => op.f === 'get').map((op) => (typeof op.value === 'string' ? op.value : ''))
    const updates = ops.length - gets.length
    const haystackLength = gets.reduce((sum, text) => sum + text.length + 1, 0)
    if (haystackLength * updates > MAX_PRUNING_WORK) return ops.map(() => false)
    const haystack = `\u0000${gets.join('\u0000')}`
    return ops.map((op) => {
      if (typeof op.value !== 'string' || op.value === '' || op.value.includes('\u0000')) return false
      if (op.f === 'put') return !haystack.includes(`\u0000${op.value}`)
      return op.f === 'append' && !haystack.includes(op.value)
    })
  }

  private child(parent: KvNode, text: string): KvNode {
    if (text === '') return parent
    parent.children ??= new Map()
    let child = parent.children.get(text)
    if (child === undefined) parent.children.set(text, (child = this.node(parent.text + text)))
    return child
  }

  private node(text: string): KvNode {
    const node: { -readonly [K in keyof KvNode]: KvNode[K] } = {
      id: this.nodes++,
      text,
      children: null,
      contentId: undefined,
      plausible: undefined,
      accepted: { ok: false },
    }
    node.accepted = { ok: true, state: node }
    return node
  }
}

function asText(op: ModelOp): string {
  if (typeof op.value === 'string') return op.value
  if (typeof op.value === 'number') return String(op.value)
  throw new HistoryFormatError(`a kv ${op.f} value must be a string, got ${JSON.stringify(op.value)}`)
}
