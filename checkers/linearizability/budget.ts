/** Limits on one check. Past either, the verdict is 'unknown' with the reason, never a hang or an out-of-memory crash. */
export interface Budget {
  /** `performance.now()` after which the search gives up. */
  readonly deadline: number
  /** Most memoised configurations one key's search may hold (each costs roughly 100–200 bytes). */
  readonly maxConfigs: number
}

export const DEFAULT_TIMEOUT_MS = 300_000
export const DEFAULT_MAX_CACHE_ENTRIES = 5_000_000

/** The search looks at the clock once per this many steps: cheap, and still well under a millisecond apart. */
export const CLOCK_CHECK_INTERVAL = 1024

export function budgetFrom(
  options: { timeoutMs?: number; maxCacheEntries?: number },
  start = performance.now(),
): Budget {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxConfigs = options.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES
  if (!(timeoutMs >= 0)) throw new RangeError(`timeoutMs must be a number ≥ 0, got ${String(options.timeoutMs)}`)
  if (!(maxConfigs >= 1)) throw new RangeError(`maxCacheEntries must be ≥ 1, got ${String(options.maxCacheEntries)}`)
  return { deadline: start + timeoutMs, maxConfigs }
}
