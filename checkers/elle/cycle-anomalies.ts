import type { CycleKind, CycleSpec } from './cycle-kinds.js'
import { DATA_SPECS, PROCESS_SPECS, REALTIME_SPECS, classifyCycle } from './cycle-kinds.js'
import { CycleSearch } from './cycle-search.js'
import type { DependencyGraph } from './dependency-graph.js'
import { ALL_EDGES, DATA, PROCESS } from './dependency-graph.js'
import { explainEdge } from './edge-explanation.js'
import type { FoundAnomalies } from './found-anomalies.js'
import type { Area, Components } from './strongly-connected.js'
import { cyclicComponents, stronglyConnected } from './strongly-connected.js'

export interface CycleStats {
  /** Strongly connected components of two or more transactions, over every edge type. */
  cyclicComponents: number
  /** The largest of them, in transactions. */
  largestComponent: number
  /** Kind searches that gave up (their budget spent) without finding their kind; a cycle is still reported. */
  searchesGivenUp: number
}

/**
 * Finds the cycles of the dependency graph, in three rounds so that each cycle is named by what it needs: data
 * dependencies alone (G0, G1c, G-single, G2-item), then with process order, then with real-time order. A component
 * of the second round that already holds a cycle of the first is not searched again, nor one of the third that holds
 * one of the second: their cycles do not need the extra order. Each component yields at most one cycle of each kind,
 * and at least one cycle.
 */
export function findCycleAnomalies(graph: DependencyGraph, found: FoundAnomalies): CycleStats {
  const everything = stronglyConnected(graph, ALL_EDGES)
  const cyclic = cyclicComponents(everything)
  let largestComponent = 0
  for (const members of cyclic.values()) largestComponent = Math.max(largestComponent, members.length)
  const stats: CycleStats = { cyclicComponents: cyclic.size, largestComponent, searchesGivenUp: 0 }
  // An acyclic graph (every valid history's) costs one pass.
  if (cyclic.size === 0) return stats
  const search = new CycleSearch(graph)

  const data = stronglyConnected(graph, DATA)
  searchRound(graph, search, data, null, DATA_SPECS, DATA, found)
  const session = stronglyConnected(graph, DATA | PROCESS)
  searchRound(graph, search, session, data, PROCESS_SPECS, DATA | PROCESS, found)
  searchRound(graph, search, everything, session, REALTIME_SPECS, ALL_EDGES, found)

  stats.searchesGivenUp = search.exhausted
  return stats
}

function searchRound(
  graph: DependencyGraph,
  search: CycleSearch,
  components: Components,
  previousRound: Components | null,
  specs: readonly CycleSpec[],
  mask: number,
  found: FoundAnomalies,
): void {
  for (const [id, members] of cyclicComponents(components)) {
    if (
      previousRound !== null &&
      members.some((v) => (previousRound.size[previousRound.of[v] as number] as number) > 1)
    ) {
      continue
    }
    const area: Area = { members, componentOf: components.of, id }
    let any = false
    for (const spec of specs) {
      const cycle = search.find(area, spec)
      if (cycle === null) continue
      any = true
      reportCycle(graph, spec.kind, cycle, members.length, found)
    }
    if (!any) {
      const cycle = search.anyCycle(area, mask)
      reportCycle(graph, classifyCycle(cycle.map((e) => graph.edgeType(e))), cycle, members.length, found)
    }
  }
}

const DESCRIPTIONS: Record<CycleKind, string> = {
  G0: 'write cycle (G0): appends ordered against each other',
  G1c: 'circular information flow (G1c): a cycle of write and read dependencies',
  'G-single': 'read skew (G-single): a dependency cycle with exactly one anti-dependency',
  'G2-item': 'anti-dependency cycle (G2-item): a dependency cycle with two or more anti-dependencies',
  'G0-process': 'write cycle (G0) through the order of a process',
  'G1c-process': 'circular information flow (G1c) through the order of a process',
  'G-single-process': 'read skew (G-single) through the order of a process',
  'G2-item-process': 'anti-dependency cycle (G2-item) through the order of a process',
  'G0-realtime': 'write cycle (G0) through real-time order',
  'G1c-realtime': 'circular information flow (G1c) through real-time order',
  'G-single-realtime': 'read skew (G-single) through real-time order: a stale read',
  'G2-item-realtime': 'anti-dependency cycle (G2-item) through real-time order',
}

/** The message names at most this many edges; the evidence has them all. */
const EDGES_IN_MESSAGE = 6

function reportCycle(
  graph: DependencyGraph,
  kind: CycleKind,
  cycle: readonly number[],
  componentSize: number,
  found: FoundAnomalies,
): void {
  found.add(kind, () => {
    const edges = cycle.map((e) => explainEdge(graph, e))
    const shown = edges.slice(0, EDGES_IN_MESSAGE).map((edge) => `${edge.why} (${edge.type})`)
    if (edges.length > EDGES_IN_MESSAGE) shown.push(`… ${edges.length - EDGES_IN_MESSAGE} more edge(s)`)
    return {
      message: `${DESCRIPTIONS[kind]}, ${edges.length} transactions: ${shown.join('; ')}`,
      evidence: { cycle: edges, length: edges.length, componentSize },
    }
  })
}
