/**
 * Time as the runner sees it. Real servers get {@link RealClock}; the simulator supplies a virtual clock whose
 * sleeps are resolved by simulator events, so the same async runner code drives both.
 */
export interface Clock {
  /** Integer nanoseconds since the run started. */
  now(): number
  /** Resolves once `ns` nanoseconds have passed on this clock. */
  sleep(ns: number): Promise<void>
}

export const NS_PER_MS = 1_000_000
export const NS_PER_SECOND = 1_000_000_000
