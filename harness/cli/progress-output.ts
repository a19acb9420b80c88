/**
 * How a command shows progress on stderr: on a terminal, one live line rewritten in place (cleared before any other
 * output); elsewhere (CI logs), plain lines at a slower pace so a log stays readable.
 */
export interface ProgressOutput {
  /** A line about progress: replaces the live line on a terminal, printed as a line of its own elsewhere. */
  progress(line: string): void
  /** A line that stays (a warning, a note): clears the live line first. */
  log(line: string): void
  /** Clears the live line (before the command prints its results on stdout). */
  clear(): void
  /** How often a run should report its progress, in milliseconds. */
  intervalMs: number
  /** True on a terminal: a line is rewritten in place, so it may change often. */
  live: boolean
}

export function progressOutput(stream: NodeJS.WriteStream = process.stderr, plainIntervalMs = 10_000): ProgressOutput {
  const tty = stream.isTTY === true
  let live = false
  const clear = (): void => {
    if (live) stream.write('\r\x1b[K')
    live = false
  }
  return {
    progress: (line) => {
      if (tty) {
        stream.write(`\r\x1b[K${line.slice(0, Math.max(20, (stream.columns ?? 120) - 1))}`)
        live = true
      } else stream.write(`semisync-chaos: ${line}\n`)
    },
    log: (line) => {
      clear()
      stream.write(`semisync-chaos: ${line}\n`)
    },
    clear,
    intervalMs: tty ? 1000 : plainIntervalMs,
    live: tty,
  }
}
