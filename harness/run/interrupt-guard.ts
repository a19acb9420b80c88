/**
 * While a run is in progress, Ctrl-C, SIGTERM or an uncaught error must still leave a readable run folder: the
 * history flushed, every process the run started stopped. `flush` runs synchronously first (nothing recorded is lost
 * even if teardown hangs), then `teardown`, then the process exits (130 for a signal, 255 for a crash).
 */
export interface RunGuard {
  /** Removes the handlers (the run ended by itself). */
  release(): void
  /** True once an interrupt or crash took over: the process ends through the guard, with its exit code. */
  stopping(): boolean
}

/** Never settles: what a run returns once the guard owns the process (it exits from the guard). */
export const UNTIL_EXIT = new Promise<never>(() => {})

export function guardRun(flush: () => void, teardown: () => Promise<void>): RunGuard {
  let handling = false
  const finish = (code: number, why: string): void => {
    if (handling) return
    handling = true
    try {
      flush()
    } catch (error) {
      process.stderr.write(`semisync-chaos: could not flush the history: ${String(error)}\n`)
    }
    process.stderr.write(`semisync-chaos: ${why}; history flushed, stopping what the run started\n`)
    const timer = setTimeout(() => process.exit(code), 10_000)
    timer.unref()
    teardown()
      .catch((error: unknown) => process.stderr.write(`semisync-chaos: teardown failed: ${String(error)}\n`))
      .finally(() => process.exit(code))
  }
  const onSigint = (): void => finish(130, 'interrupted (SIGINT)')
  const onSigterm = (): void => finish(143, 'terminated (SIGTERM)')
  const onCrash = (error: unknown): void => {
    // Once the run is being stopped, errors from work it cut short (a client's query, a cut link) are expected.
    if (handling) return
    process.stderr.write(
      `semisync-chaos: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    finish(255, 'crashed')
  }
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigterm)
  process.on('uncaughtException', onCrash)
  process.on('unhandledRejection', onCrash)
  return {
    release: () => {
      process.off('SIGINT', onSigint)
      process.off('SIGTERM', onSigterm)
      process.off('uncaughtException', onCrash)
      process.off('unhandledRejection', onCrash)
    },
    stopping: () => handling,
  }
}
