import type { Key, Txn } from './txn.js'

/** Edge types, as bits so that a search can take a set of them as a mask. */
export const WW = 1
export const WR = 2
export const RW = 4
export const PROCESS = 8
export const REALTIME = 16
export type EdgeType = typeof WW | typeof WR | typeof RW | typeof PROCESS | typeof REALTIME
/** The dependencies Adya defines on data; process and real-time order are the clients' view on top. */
export const DATA = WW | WR | RW
export const ALL_EDGES = DATA | PROCESS | REALTIME

export const EDGE_NAMES: Record<EdgeType, 'ww' | 'wr' | 'rw' | 'process' | 'realtime'> = {
  [WW]: 'ww',
  [WR]: 'wr',
  [RW]: 'rw',
  [PROCESS]: 'process',
  [REALTIME]: 'realtime',
}

/**
 * The transactions known to have committed, and what orders them. Edges live in flat typed arrays (a 100k-txn
 * history has about a million), each with the key and the elements that justify it, so the evidence can say why.
 * A pair of transactions may be linked by several edges of different types. Built once, then frozen into adjacency
 * lists (CSR) for the searches.
 */
export class DependencyGraph {
  /** Node → transaction. */
  readonly txns: Txn[] = []
  /** Transaction id → node, or -1 when the transaction is not in the graph. */
  readonly nodeOf: Int32Array
  readonly keys: Key[] = []
  private readonly keyIds = new Map<Key, number>()

  private size = 0
  private from = new Int32Array(1024)
  private to = new Int32Array(1024)
  private types = new Uint8Array(1024)
  private keyOf = new Int32Array(1024)
  /** The element each edge is about (see `edgeWhy`); NaN when none, as in an empty read. */
  private first = new Float64Array(1024)
  private second = new Float64Array(1024)

  /** After `freeze`: the out-edges of node v are `outEdges[outStart[v] .. outStart[v + 1])`. */
  outStart = new Int32Array(1)
  outEdges = new Int32Array(0)

  constructor(txnCount: number) {
    this.nodeOf = new Int32Array(txnCount).fill(-1)
  }

  addNode(txn: Txn): number {
    const node = this.txns.length
    this.txns.push(txn)
    this.nodeOf[txn.id] = node
    return node
  }

  node(txn: Txn): number {
    return this.nodeOf[txn.id] as number
  }

  get nodeCount(): number {
    return this.txns.length
  }

  get edgeCount(): number {
    return this.size
  }

  addEdge(from: number, to: number, type: EdgeType, key: Key | null = null, first = NaN, second = NaN): void {
    if (this.size === this.from.length) this.grow()
    const e = this.size++
    this.from[e] = from
    this.to[e] = to
    this.types[e] = type
    this.keyOf[e] = key === null ? -1 : this.keyId(key)
    this.first[e] = first
    this.second[e] = second
  }

  edgeFrom(e: number): number {
    return this.from[e] as number
  }

  edgeTo(e: number): number {
    return this.to[e] as number
  }

  edgeType(e: number): EdgeType {
    return this.types[e] as EdgeType
  }

  edgeKey(e: number): Key | null {
    const id = this.keyOf[e] as number
    return id < 0 ? null : (this.keys[id] as Key)
  }

  edgeElements(e: number): [number | null, number | null] {
    const a = this.first[e] as number
    const b = this.second[e] as number
    return [Number.isNaN(a) ? null : a, Number.isNaN(b) ? null : b]
  }

  countByType(): Record<string, number> {
    const counts: Record<string, number> = { ww: 0, wr: 0, rw: 0, process: 0, realtime: 0 }
    for (let e = 0; e < this.size; e++) counts[EDGE_NAMES[this.types[e] as EdgeType]]! += 1
    return counts
  }

  /** Builds the adjacency lists (a counting sort of the edges by source). */
  freeze(): void {
    const n = this.txns.length
    const start = new Int32Array(n + 1)
    for (let e = 0; e < this.size; e++) start[(this.from[e] as number) + 1]! += 1
    for (let v = 0; v < n; v++) start[v + 1]! += start[v] as number
    const next = start.slice(0, n)
    const edges = new Int32Array(this.size)
    for (let e = 0; e < this.size; e++) edges[next[this.from[e] as number]!++] = e
    this.outStart = start
    this.outEdges = edges
  }

  private keyId(key: Key): number {
    let id = this.keyIds.get(key)
    if (id === undefined) {
      id = this.keys.length
      this.keys.push(key)
      this.keyIds.set(key, id)
    }
    return id
  }

  private grow(): void {
    const cap = this.from.length * 2
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const copy = make(cap)
      copy.set(old)
      return copy
    }
    this.from = grown(this.from, (n) => new Int32Array(n))
    this.to = grown(this.to, (n) => new Int32Array(n))
    this.types = grown(this.types, (n) => new Uint8Array(n))
    this.keyOf = grown(this.keyOf, (n) => new Int32Array(n))
    this.first = grown(this.first, (n) => new Float64Array(n))
    this.second = grown(this.second, (n) => new Float64Array(n))
  }
}
