/**
 * A history that breaks the contract in docs/history-format.md, or that a checker cannot interpret. It names the
 * line (1-based, as an editor shows it) when the problem is in one line of a file, so a person can open the file and
 * see the offending event. The CLI reports it as bad input (exit 254).
 */
export class HistoryFormatError extends Error {
  readonly file?: string
  readonly line?: number
  readonly problem: string

  constructor(problem: string, where: { line?: number; file?: string } = {}) {
    const place = where.line === undefined ? (where.file ?? 'history') : `${where.file ?? 'history'} line ${where.line}`
    super(`${place}: ${problem}`)
    this.name = 'HistoryFormatError'
    this.problem = problem
    if (where.line !== undefined) this.line = where.line
    if (where.file !== undefined) this.file = where.file
  }
}
