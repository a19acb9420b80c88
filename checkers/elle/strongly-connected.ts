import type { DependencyGraph } from './dependency-graph.js'

/** The strongly connected components of a graph restricted to some edge types. */
export interface Components {
  /** Node → component id. Ids are in reverse topological order: an edge between two components goes to a lower id. */
  of: Int32Array
  /** Component id → number of nodes. */
  size: Int32Array
  count: number
}

/** A part of the graph: the nodes of one component, and the component ids that tell who else belongs to it. */
export interface Area {
  members: readonly number[]
  componentOf: Int32Array
  id: number
}

/**
 * The strongly connected components over the edges whose type is in `mask`. Every cycle lies inside one component,
 * so a component of two or more nodes is exactly where cycles are to be looked for (the graph has no self-loops).
 */
export function stronglyConnected(graph: DependencyGraph, mask: number): Components {
  const n = graph.nodeCount
  const start = new Int32Array(n + 1)
  const kept: number[] = []
  for (let v = 0; v < n; v++) {
    for (let i = graph.outStart[v] as number; i < (graph.outStart[v + 1] as number); i++) {
      const e = graph.outEdges[i] as number
      if ((graph.edgeType(e) & mask) !== 0) kept.push(graph.edgeTo(e))
    }
    start[v + 1] = kept.length
  }
  return tarjan(n, start, Int32Array.from(kept))
}

/**
 * The same inside an area, over the edges in `mask` that stay in it; node i of the result is `area.members[i]`.
 * `localOf` must map each member to its position in `area.members`.
 */
export function areaComponents(graph: DependencyGraph, area: Area, mask: number, localOf: Int32Array): Components {
  const m = area.members.length
  const start = new Int32Array(m + 1)
  const kept: number[] = []
  for (let i = 0; i < m; i++) {
    const v = area.members[i] as number
    for (let j = graph.outStart[v] as number; j < (graph.outStart[v + 1] as number); j++) {
      const e = graph.outEdges[j] as number
      const w = graph.edgeTo(e)
      if ((graph.edgeType(e) & mask) !== 0 && area.componentOf[w] === area.id) kept.push(localOf[w] as number)
    }
    start[i + 1] = kept.length
  }
  return tarjan(m, start, Int32Array.from(kept))
}

/**
 * Tarjan's algorithm over adjacency lists (node v's successors are `targets[start[v] .. start[v + 1])`), with
 * explicit stacks: a 100k-transaction history would overflow the call stack of the recursive form.
 */
function tarjan(n: number, start: Int32Array, targets: Int32Array): Components {
  const order = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const onStack = new Uint8Array(n)
  const stack = new Int32Array(n)
  const callNode = new Int32Array(n)
  const callEdge = new Int32Array(n)
  const of = new Int32Array(n)
  const sizes: number[] = []
  let stackSize = 0
  let depth = 0
  let counter = 0

  const visit = (v: number): void => {
    order[v] = low[v] = counter++
    stack[stackSize++] = v
    onStack[v] = 1
    callNode[depth] = v
    callEdge[depth] = start[v] as number
    depth++
  }

  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue
    visit(root)
    while (depth > 0) {
      const v = callNode[depth - 1] as number
      const e = callEdge[depth - 1] as number
      if (e < (start[v + 1] as number)) {
        callEdge[depth - 1] = e + 1
        const w = targets[e] as number
        if (order[w] === -1) visit(w)
        else if (onStack[w] === 1 && (order[w] as number) < (low[v] as number)) low[v] = order[w] as number
        continue
      }
      depth--
      if (low[v] === order[v]) {
        const id = sizes.length
        let size = 0
        let w: number
        do {
          w = stack[--stackSize] as number
          onStack[w] = 0
          of[w] = id
          size++
        } while (w !== v)
        sizes.push(size)
      }
      if (depth > 0) {
        const parent = callNode[depth - 1] as number
        if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number
      }
    }
  }
  return { of, size: Int32Array.from(sizes), count: sizes.length }
}

/** The nodes of each component of two or more nodes, by component id. */
export function cyclicComponents(components: Components): Map<number, number[]> {
  const members = new Map<number, number[]>()
  components.of.forEach((id, node) => {
    if ((components.size[id] as number) < 2) return
    const list = members.get(id)
    if (list === undefined) members.set(id, [node])
    else list.push(node)
  })
  return members
}
