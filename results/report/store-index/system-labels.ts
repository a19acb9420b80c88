/** A system's results from one store, with the runtime (`node 22`) they ran on when known. */
export interface SystemOnRuntime {
  system: string
  runtime: string | null
}

/**
 * How a results site names a system: `sim`, or `sim · node 22` when the stores hold that system's results from more
 * than one runtime (a CI job matrix over Node versions), so that each runtime's results stay one matrix of their own.
 * Returns the labeller for every (system, runtime) of `seen`.
 */
export function systemLabeller(seen: readonly SystemOnRuntime[]): (entry: SystemOnRuntime) => string {
  const runtimes = new Map<string, Set<string>>()
  for (const { system, runtime } of seen) {
    if (!runtimes.has(system)) runtimes.set(system, new Set())
    if (runtime !== null) runtimes.get(system)?.add(runtime)
  }
  return ({ system, runtime }) =>
    runtime !== null && (runtimes.get(system)?.size ?? 0) > 1 ? `${system} · ${runtime}` : system
}
