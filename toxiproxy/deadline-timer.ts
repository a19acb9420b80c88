/**
 * A timer that never fires before `deadline` (performance.now() ms). setTimeout counts from the event loop's cached
 * clock and truncates fractions, so it can fire up to a millisecond or so early; toxics promise "at least" delays.
 */
export interface DeadlineTimer {
  cancel(): void
}

export function atDeadline(deadline: number, callback: () => void): DeadlineTimer {
  let handle: NodeJS.Timeout
  const arm = (): void => {
    const remaining = deadline - performance.now()
    if (remaining <= 0) return callback()
    handle = setTimeout(arm, Math.max(1, Math.ceil(remaining)))
  }
  arm()
  return { cancel: () => clearTimeout(handle) }
}
