/** Whether `promise` settles within `timeoutMs` (it is not cancelled when it does not). */
export async function settlesWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
  const settled = promise.then(
    () => true as const,
    () => true as const,
  )
  const done = await Promise.race([settled, timedOut])
  clearTimeout(timer)
  return done
}
