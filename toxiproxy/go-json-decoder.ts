import type { GoJsonValue } from './go-json-parser.js'

/**
 * Typed reads from a parsed body with Go's `encoding/json` rules: keys match field names case-insensitively (the last
 * matching key wins), `null` leaves a field as it was, unknown keys are ignored, and a value of the wrong type is an
 * UnmarshalTypeError. Go keeps decoding after a type error and reports the first one, so errors are collected rather
 * than thrown.
 */
export class GoTypeErrors {
  first: string | null = null

  record(message: string): void {
    this.first ??= message
  }
}

/**
 * Where a value sits, for Go's message: `Go struct field LatencyToxic.attributes.latency` names the innermost struct
 * type and the JSON path from the top; a top-level value is `Go value of type toxiproxy.Proxy`.
 */
export type GoPlace = { readonly struct: string; readonly path: string } | { readonly topLevelType: string }

export function fieldPlace(struct: string, path: string): GoPlace {
  return { struct, path }
}

function typeError(value: string, place: GoPlace, goType: string): string {
  const into = 'topLevelType' in place ? 'Go value' : `Go struct field ${place.struct}.${place.path}`
  return `json: cannot unmarshal ${value} into ${into} of type ${goType}`
}

/**
 * Decodes an object into a Go struct: each key, in document order, goes to the field whose JSON name matches it exactly
 * or ignoring case (so a later duplicate overwrites an earlier one, and type errors are found in document order).
 * `null` leaves the struct as it is; unknown keys are ignored; any other kind is a type error.
 */
export function decodeGoStruct(
  value: GoJsonValue | undefined,
  place: GoPlace,
  goType: string,
  errors: GoTypeErrors,
  fields: Readonly<Record<string, (value: GoJsonValue) => void>>,
): void {
  if (value === undefined || value.kind === 'null') return
  if (value.kind !== 'object') {
    errors.record(typeError(value.kind, place, goType))
    return
  }
  for (const [key, fieldValue] of value.entries) {
    const name = Object.hasOwn(fields, key) ? key : key.toLowerCase()
    if (Object.hasOwn(fields, name)) (fields[name] as (value: GoJsonValue) => void)(fieldValue)
  }
}

export function goString(value: GoJsonValue | undefined, place: GoPlace, errors: GoTypeErrors): string | undefined {
  if (value === undefined || value.kind === 'null') return undefined
  if (value.kind === 'string') return value.value
  errors.record(typeError(value.kind, place, 'string'))
  return undefined
}

export function goBool(value: GoJsonValue | undefined, place: GoPlace, errors: GoTypeErrors): boolean | undefined {
  if (value === undefined || value.kind === 'null') return undefined
  if (value.kind === 'bool') return value.value
  errors.record(typeError(value.kind, place, 'bool'))
  return undefined
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/**
 * A Go int/int64: the literal must be a whole number in range (`1.0`, `1e3` and `1.5` are rejected, as strconv.ParseInt
 * does). Values beyond 2^53 lose precision here, which no toxic attribute gets near.
 */
export function goInt(
  value: GoJsonValue | undefined,
  place: GoPlace,
  goType: 'int' | 'int64',
  errors: GoTypeErrors,
): number | undefined {
  if (value === undefined || value.kind === 'null') return undefined
  if (value.kind !== 'number') {
    errors.record(typeError(value.kind, place, goType))
    return undefined
  }
  const literal = value.literal
  if (!/^-?\d+$/.test(literal) || BigInt(literal) < INT64_MIN || BigInt(literal) > INT64_MAX) {
    errors.record(typeError(`number ${literal}`, place, goType))
    return undefined
  }
  return Number(literal)
}

/** A Go float32: any number literal whose value fits, rounded to single precision as Go stores it. */
export function goFloat32(value: GoJsonValue | undefined, place: GoPlace, errors: GoTypeErrors): number | undefined {
  if (value === undefined || value.kind === 'null') return undefined
  if (value.kind !== 'number') {
    errors.record(typeError(value.kind, place, 'float32'))
    return undefined
  }
  const single = Math.fround(Number(value.literal))
  if (!Number.isFinite(single)) {
    errors.record(typeError(`number ${value.literal}`, place, 'float32'))
    return undefined
  }
  return single
}

/** A top-level value that must be an array (Go slice), or undefined for `null`. */
export function goArray(value: GoJsonValue, goType: string, errors: GoTypeErrors): readonly GoJsonValue[] | undefined {
  if (value.kind === 'null') return undefined
  if (value.kind === 'array') return value.items
  errors.record(typeError(value.kind, { topLevelType: goType }, goType))
  return undefined
}
