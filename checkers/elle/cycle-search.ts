import type { CycleSpec } from './cycle-kinds.js'
import { classifyCycle } from './cycle-kinds.js'
import type { DependencyGraph, EdgeType } from './dependency-graph.js'
import type { Area } from './strongly-connected.js'
import { areaComponents } from './strongly-connected.js'

/**
 * Edge relaxations one search may spend before giving up. A search that finds its kind is cheap (a breadth-first
 * search or two); a kind absent from a component of tens of thousands of transactions would otherwise cost a
 * search per start edge.
 */
const BUDGET_PER_SEARCH = 2_000_000

/**
 * Short cycles of a given kind inside a strongly connected component, by breadth-first search from each start edge
 * back to its source. The required edge types are tracked as a small state beside the node (at most two bits), so
 * the search runs over node × state. A walk found that way may pass a node twice; it is then cut into its simple
 * cycles, and one of the kind sought is kept (the others are found by their own kinds' searches).
 */
export class CycleSearch {
  private readonly stamp: Int32Array
  private readonly parentEdge: Int32Array
  private readonly parentState: Int32Array
  private readonly queue: Int32Array
  /** Node → its position in the members of the area being searched. */
  private readonly localOf: Int32Array
  private searchId = 0
  /** Searches that ran out of budget without finding their kind. */
  exhausted = 0

  constructor(private readonly graph: DependencyGraph) {
    const states = graph.nodeCount * 4
    this.stamp = new Int32Array(states)
    this.parentEdge = new Int32Array(states)
    this.parentState = new Int32Array(states)
    this.queue = new Int32Array(states)
    this.localOf = new Int32Array(graph.nodeCount)
  }

  /**
   * The shortest cycle of `spec`'s kind found through any start edge, as edge ids, or null. The components of the
   * path's edges inside the area prune the search: a start edge a → b can only close a cycle if b reaches a, which
   * needs b's component to come no later than a's in topological order; b inside a's component surely reaches it,
   * so those start edges are tried first. The breadth-first search skips nodes that cannot reach a for the same reason.
   */
  find(area: Area, spec: CycleSpec): number[] | null {
    const { graph, localOf } = this
    area.members.forEach((v, i) => (localOf[v] = i))
    const rank = areaComponents(graph, area, spec.path, localOf).of
    const rankOf = (v: number): number => rank[localOf[v] as number] as number
    const sure: number[] = []
    const maybe: number[] = []
    for (const v of area.members) {
      for (let i = graph.outStart[v] as number; i < (graph.outStart[v + 1] as number); i++) {
        const e = graph.outEdges[i] as number
        const w = graph.edgeTo(e)
        if (graph.edgeType(e) !== spec.start || area.componentOf[w] !== area.id) continue
        if (rankOf(w) === rankOf(v)) sure.push(e)
        else if (rankOf(w) > rankOf(v)) maybe.push(e)
      }
    }
    let best: number[] | null = null
    let budget = BUDGET_PER_SEARCH
    for (const e of [...sure, ...maybe]) {
      // A cycle through this edge can only beat the best if its path back is shorter than the best's.
      const limit = best === null ? Infinity : best.length - 2
      if (limit < 1) return best
      const from = graph.edgeFrom(e)
      const walk = this.pathBack(graph.edgeTo(e), from, spec, area, { rank, minRank: rankOf(from), limit, budget })
      budget = walk.budget
      if (walk.edges !== null) {
        const cycle = shortestOfKind(graph, [e, ...walk.edges], spec)
        if (cycle !== null && (best === null || cycle.length < best.length)) best = cycle
      }
      if (budget <= 0) {
        if (best === null) this.exhausted++
        return best
      }
    }
    return best
  }

  /** Some cycle inside a component (there always is one), over the edges in `mask`: when every kind search gave up. */
  anyCycle(area: Area, mask: number): number[] {
    const { graph } = this
    for (const v of area.members) {
      for (let i = graph.outStart[v] as number; i < (graph.outStart[v + 1] as number); i++) {
        const e = graph.outEdges[i] as number
        const type = graph.edgeType(e)
        if ((type & mask) === 0 || area.componentOf[graph.edgeTo(e)] !== area.id) continue
        const walk = this.pathBack(graph.edgeTo(e), v, { kind: 'G0', start: type, path: mask, require: 0 }, area)
        if (walk.edges !== null) return [e, ...walk.edges]
      }
    }
    throw new Error('a strongly connected component without a cycle: the component ids are wrong')
  }

  /**
   * Breadth-first search from `source` to `target` over `spec.path` edges inside the area, arriving with every type of
   * `spec.require` used. The target ends the path (the cycle closes there), it is never passed through.
   */
  private pathBack(
    source: number,
    target: number,
    spec: CycleSpec,
    area: Area,
    prune: { rank: Int32Array; minRank: number; limit: number; budget: number } | null = null,
  ): { edges: number[] | null; budget: number } {
    const { graph, stamp, parentEdge, parentState, queue, localOf } = this
    const limit = prune?.limit ?? Infinity
    let budget = prune?.budget ?? Infinity
    const required = requiredBits(spec.require)
    const complete = (1 << required.length) - 1
    const id = ++this.searchId
    let head = 0
    let tail = 0
    const start = source * 4
    stamp[start] = id
    parentEdge[start] = -1
    queue[tail++] = start
    if (source === target && complete === 0) return { edges: [], budget }
    let depth = 0
    let levelEnd = tail
    while (head < tail) {
      if (head === levelEnd) {
        depth++
        levelEnd = tail
      }
      if (depth >= limit) break
      const state = queue[head++] as number
      const u = state >> 2
      const bits = state & 3
      for (let i = graph.outStart[u] as number; i < (graph.outStart[u + 1] as number); i++) {
        const e = graph.outEdges[i] as number
        const type = graph.edgeType(e)
        if ((type & spec.path) === 0) continue
        const w = graph.edgeTo(e)
        if (area.componentOf[w] !== area.id) continue
        if (prune !== null && (prune.rank[localOf[w] as number] as number) < prune.minRank) continue
        budget--
        const next = w * 4 + (bits | bitOf(type, required))
        if (stamp[next] === id) continue
        stamp[next] = id
        parentEdge[next] = e
        parentState[next] = state
        if (w === target) {
          if ((next & 3) === complete) return { edges: this.trace(next), budget }
          continue
        }
        queue[tail++] = next
      }
      if (budget <= 0) break
    }
    return { edges: null, budget }
  }

  private trace(state: number): number[] {
    const edges: number[] = []
    for (let s = state; this.parentEdge[s] !== -1; s = this.parentState[s] as number) {
      edges.push(this.parentEdge[s] as number)
    }
    return edges.reverse()
  }
}

function requiredBits(require: number): EdgeType[] {
  const bits: EdgeType[] = []
  for (let bit = 1; bit <= require; bit <<= 1) if ((require & bit) !== 0) bits.push(bit as EdgeType)
  if (bits.length > 2) throw new Error('a cycle search tracks at most two required edge types')
  return bits
}

function bitOf(type: EdgeType, required: readonly EdgeType[]): number {
  return type === required[0] ? 1 : type === required[1] ? 2 : 0
}

/**
 * A closed walk cut into simple cycles (at each node it revisits); the shortest of the sought kind, or null. A walk
 * without repeated nodes is its own single cycle.
 */
function shortestOfKind(graph: DependencyGraph, walk: readonly number[], spec: CycleSpec): number[] | null {
  let best: number[] | null = null
  for (const cycle of simpleCycles(graph, walk)) {
    if (classifyCycle(cycle.map((e) => graph.edgeType(e))) !== spec.kind) continue
    if (best === null || cycle.length < best.length) best = cycle
  }
  return best
}

function simpleCycles(graph: DependencyGraph, walk: readonly number[]): number[][] {
  const cycles: number[][] = []
  const edges: number[] = []
  const position = new Map<number, number>([[graph.edgeFrom(walk[0] as number), 0]])
  const nodes: number[] = [graph.edgeFrom(walk[0] as number)]
  for (const e of walk) {
    const v = graph.edgeTo(e)
    edges.push(e)
    const at = position.get(v)
    if (at === undefined) {
      position.set(v, nodes.length)
      nodes.push(v)
      continue
    }
    cycles.push(edges.splice(at))
    for (const dropped of nodes.splice(at + 1)) position.delete(dropped)
  }
  return cycles
}
