/** Where in a history a problem is: a line of a file, or an op's index when a checker found it. */
export interface HistoryPlace {
  /** 1-based line, as an editor shows it. */
  line?: number
  file?: string
  /** The op's `index`, when the finder saw ops rather than lines (a checker); the CLI turns it into the line. */
  opIndex?: number
}

/**
 * A history that breaks the contract in docs/history-format.md, or that a checker cannot interpret. It names the
 * line when it can, so a person can open the file and see the offending event. The CLI reports it as bad input (exit
 * 254), never as an anomaly and never as a crash.
 */
export class HistoryFormatError extends Error {
  readonly file?: string
  readonly line?: number
  readonly opIndex?: number
  readonly problem: string

  constructor(problem: string, where: HistoryPlace = {}) {
    const file = where.file ?? 'history'
    const place =
      where.line !== undefined
        ? `${file} line ${where.line}`
        : where.opIndex !== undefined
          ? `${file} op ${where.opIndex}`
          : file
    super(`${place}: ${problem}`)
    this.name = 'HistoryFormatError'
    this.problem = problem
    if (where.line !== undefined) this.line = where.line
    if (where.file !== undefined) this.file = where.file
    if (where.opIndex !== undefined) this.opIndex = where.opIndex
  }
}
