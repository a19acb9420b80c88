/**
 * A canonical string for a JSON value, so that equal values get equal keys: `3` and `"3"` differ, object keys are
 * sorted, `undefined` (a field missing from a JSON line) reads as `null`.
 */
export function valueKey(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value}`
    case 'number':
      return `n${value}`
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
      return 'null'
    default:
      return value === null ? 'null' : `j${stableStringify(value)}`
  }
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`
}

/** Numbers values 0, 1, 2, … by canonical key, so a model can compare them as integers. */
export class ValueInterner {
  private readonly ids = new Map<string, number>()
  private readonly values: unknown[] = []

  /** The id of `value`, allocating one if it is new. */
  intern(value: unknown): number {
    const key = valueKey(value)
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.values.length
      this.ids.set(key, id)
      this.values.push(value === undefined ? null : value)
    }
    return id
  }

  /** The id of `value`, or -1 if it was never interned. */
  find(value: unknown): number {
    return this.ids.get(valueKey(value)) ?? -1
  }

  get size(): number {
    return this.values.length
  }

  valueOf(id: number): unknown {
    return this.values[id]
  }
}
