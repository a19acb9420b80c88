/** The history breaks the contract (`shared/history-format.md`) in a way the checker cannot interpret. */
export class HistoryFormatError extends Error {
  override readonly name = 'HistoryFormatError'
}
