import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// The linter forbids imports folder by folder; this looks at the whole graph at once: no cycle between the folders
// the layering names, however the imports are spelled (static, type-only, dynamic).
const root = join(import.meta.dirname, '..', '..')
const SOURCE_ROOTS = ['core', 'systems', 'toxiproxy', 'harness', 'workloads', 'nemesis', 'checkers', 'results']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** The layering unit a file belongs to: `harness/<part>` and `systems/<part>`, else the top-level folder. */
function unitOf(file: string): string {
  const parts = relative(root, file).split('/')
  const top = parts[0] as string
  if ((top === 'harness' || top === 'systems') && parts.length > 2) return `${top}/${parts[1]}`
  return top
}

function projectImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, '.ts'))
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const top of SOURCE_ROOTS) {
    for (const file of sourceFiles(join(root, top))) {
      const from = unitOf(file)
      const edges = graph.get(from) ?? new Set<string>()
      graph.set(from, edges)
      for (const target of projectImports(file)) {
        const to = unitOf(target)
        if (to !== from) edges.add(to)
      }
    }
  }
  return graph
}

/** One cycle in the graph, as a path that returns to its start, or null. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node]
    state.set(node, 'open')
    path.push(node)
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    path.pop()
    state.set(node, 'done')
    return null
  }
  for (const node of graph.keys()) {
    const cycle = visit(node)
    if (cycle) return cycle
  }
  return null
}

describe('the folder graph', () => {
  const graph = folderGraph()

  it('sees the layering units', () => {
    expect([...graph.keys()]).toEqual(
      expect.arrayContaining(['core', 'systems/sim', 'systems/mariadb', 'harness/cli', 'checkers', 'results']),
    )
  })

  it('has no cycle between folders', () => {
    expect(findCycle(graph)).toBeNull()
  })

  it('has core at the bottom', () => {
    expect([...(graph.get('core') ?? [])]).toEqual([])
  })

  it('finds a cycle when there is one (the search itself works)', () => {
    const withCycle = new Map(graph)
    withCycle.set('core', new Set(['harness/cli']))
    expect(findCycle(withCycle)).toEqual(expect.arrayContaining(['core', 'harness/cli']))
  })
})
