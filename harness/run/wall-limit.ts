import type { TestConfig } from '../config/test-config.js'

/**
 * The default wall-clock budget of a run on real servers beyond its time limit and recovery timeout: failovers on
 * MySQL can take two minutes each (an applier holding a partial transaction keeps STOP REPLICA waiting), and a
 * random schedule has several.
 */
const DEFAULT_MARGIN_S = 900

/**
 * How long a run may take on the wall clock before it is stopped, in milliseconds; null for none. The engine runs in
 * virtual time (a wall-clock timer there would make nothing but noise), so it has none.
 */
export function wallLimitMsFor(
  config: Pick<TestConfig, 'db' | 'timeLimitS' | 'recoveryTimeoutS' | 'wallLimitS'>,
): number | null {
  if (config.db === 'sim') return null
  const seconds = config.wallLimitS ?? 3 * config.timeLimitS + config.recoveryTimeoutS + DEFAULT_MARGIN_S
  return seconds === 0 ? null : Math.round(seconds * 1000)
}

/** What `withinWallLimit` answers: the work's result, or that the limit came first. */
export type WithinWallLimit<T> = { finished: true; value: T } | { finished: false }

/**
 * Waits for `work` or `limitMs`, whichever comes first. Work that overran is not cancelled (a promise cannot be); its
 * later failure is swallowed, since the caller has already torn down what it was using.
 */
export async function withinWallLimit<T>(work: Promise<T>, limitMs: number | null): Promise<WithinWallLimit<T>> {
  if (limitMs === null) return { finished: true, value: await work }
  let timer: NodeJS.Timeout | undefined
  const overran = new Promise<{ finished: false }>((resolve) => {
    timer = setTimeout(() => resolve({ finished: false }), limitMs)
  })
  try {
    const outcome = await Promise.race([work.then((value) => ({ finished: true as const, value })), overran])
    if (!outcome.finished) work.catch(() => {})
    return outcome
  } finally {
    clearTimeout(timer)
  }
}
