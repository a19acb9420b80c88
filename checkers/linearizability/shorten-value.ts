const MAX_STRING = 200
const MAX_ITEMS = 50
const MAX_DEPTH = 4

/**
 * A value small enough to show: long strings and arrays are cut, with a note of how much was left out. Explanations
 * cite the op's index, so the full value is always one lookup away in the history.
 */
export function shortenValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length <= MAX_STRING ? value : `${value.slice(0, MAX_STRING)}… (+${value.length - MAX_STRING} chars)`
  }
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return '…'
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map((item) => shortenValue(item, depth + 1))
    return value.length <= MAX_ITEMS ? shown : [...shown, `… (+${value.length - MAX_ITEMS} more)`]
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shortenValue(v, depth + 1)]))
}

/** A value as compact text, for labels and messages. */
export function valueText(value: unknown): string {
  return JSON.stringify(shortenValue(value)) ?? 'null'
}
