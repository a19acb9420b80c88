/** Where two histories first differ: the line number (from 1) and each side's line there (null past its end). */
export interface HistoryDifference {
  line: number
  expected: string | null
  actual: string | null
}

/** The first line where `actual` differs from `expected`, or null when the texts are identical. */
export function firstDifference(expected: string, actual: string): HistoryDifference | null {
  if (expected === actual) return null
  const a = expected.split('\n')
  const b = actual.split('\n')
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i + 1, expected: a[i] ?? null, actual: b[i] ?? null }
  }
  // Unreachable for different texts: they differ in some line.
  return { line: 1, expected: a[0] ?? null, actual: b[0] ?? null }
}
