/**
 * A history file that breaks the contract in `shared/history-format.md`. It names the line (1-based, as an editor
 * shows it) so a person can open the file and see the offending event.
 */
export class HistoryFormatError extends Error {
  readonly file?: string
  readonly line: number
  readonly problem: string

  constructor(line: number, problem: string, file?: string) {
    super(`${file ?? 'history'} line ${line}: ${problem}`)
    this.name = 'HistoryFormatError'
    this.line = line
    this.problem = problem
    if (file !== undefined) this.file = file
  }
}
