/**
 * A timer that never fires before `deadline` (performance.now() ms). setTimeout counts from the event loop's cached
 * clock and truncates fractions, so it can fire up to a millisecond or so early; toxics promise "at least" delays.
 */
export interface DeadlineTimer {
  cancel(): void
}

/**
 * setTimeout's longest delay, about 24.8 days. Node turns a longer one into 1 ms with a TimeoutOverflowWarning, which
 * would re-arm every millisecond; a deadline further out (a latency of 3e9 ms) is reached in hops of this size.
 */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

export function atDeadline(deadline: number, callback: () => void): DeadlineTimer {
  let handle: NodeJS.Timeout
  const arm = (): void => {
    const remaining = deadline - performance.now()
    if (remaining <= 0) return callback()
    handle = setTimeout(arm, Math.min(MAX_TIMEOUT_MS, Math.max(1, Math.ceil(remaining))))
  }
  arm()
  return { cancel: () => clearTimeout(handle) }
}
