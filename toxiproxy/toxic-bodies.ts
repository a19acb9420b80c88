import {
  decodeGoStruct,
  fieldPlace,
  goFloat32,
  goInt,
  goString,
  GoTypeErrors,
  type GoPlace,
} from './go-json-decoder.js'
import type { GoJsonValue } from './go-json-parser.js'
import { parseBody, throwFirstTypeError } from './request-body.js'
import type { ToxicKind } from './toxics/toxic-kind.js'

/** POST /proxies/{proxy}/toxics, first pass (Go decodes the wrapper with `attributes` into an empty NoopToxic). */
export interface ToxicCreateFields {
  name: string
  type: string
  stream: string
  toxicity: number
  /** The raw attributes, decoded once the type is known. */
  attributes: GoJsonValue | undefined
}

export function decodeToxicCreate(body: string): ToxicCreateFields {
  const value = parseBody(body)
  const errors = new GoTypeErrors()
  // Toxiproxy's defaults: a downstream toxic with toxicity 1.
  const fields: ToxicCreateFields = { name: '', type: '', stream: 'downstream', toxicity: 1, attributes: undefined }
  const place = (path: string): GoPlace => fieldPlace('ToxicWrapper', path)
  decodeGoStruct(value, { topLevelType: 'toxics.ToxicWrapper' }, 'toxics.ToxicWrapper', errors, {
    name: (v) => (fields.name = goString(v, place('name'), errors) ?? fields.name),
    type: (v) => (fields.type = goString(v, place('type'), errors) ?? fields.type),
    stream: (v) => (fields.stream = goString(v, place('stream'), errors) ?? fields.stream),
    toxicity: (v) => (fields.toxicity = goFloat32(v, place('toxicity'), errors) ?? fields.toxicity),
    attributes: (v) => {
      decodeGoStruct(v, place('attributes'), 'toxics.NoopToxic', errors, {})
      if (v.kind === 'object') fields.attributes = v
    },
  })
  throwFirstTypeError(errors)
  return fields
}

/**
 * Reads a toxic's attributes into `into` (Go decodes into the toxic's struct: unknown keys ignored, missing ones keep
 * their value, non-integers rejected). `wrapperStruct` names the struct holding `attributes` in error messages.
 */
export function decodeAttributes(
  value: GoJsonValue | undefined,
  kind: ToxicKind,
  into: Record<string, number>,
  errors: GoTypeErrors,
  wrapperStruct: string,
): void {
  const setters: Record<string, (v: GoJsonValue) => void> = {}
  for (const spec of kind.attributes) {
    setters[spec.name] = (v) => {
      into[spec.name] =
        goInt(v, fieldPlace(kind.goStruct, `attributes.${spec.name}`), spec.goType, errors) ??
        (into[spec.name] as number)
    }
  }
  decodeGoStruct(value, fieldPlace(wrapperStruct, 'attributes'), `toxics.${kind.goStruct}`, errors, setters)
}

const UPDATE_STRUCT =
  'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }'

/** POST/PATCH /proxies/{proxy}/toxics/{toxic}: only `attributes` (merged) and `toxicity` (kept if absent) change. */
export function decodeToxicUpdate(
  body: string,
  kind: ToxicKind,
  current: { attributes: Readonly<Record<string, number>>; toxicity: number },
): { attributes: Record<string, number>; toxicity: number } {
  const value = parseBody(body)
  const errors = new GoTypeErrors()
  const update = { attributes: { ...current.attributes }, toxicity: current.toxicity }
  // Go decodes into an anonymous struct here, so its fields print as `.toxicity`.
  decodeGoStruct(value, { topLevelType: UPDATE_STRUCT }, UPDATE_STRUCT, errors, {
    attributes: (v) => decodeAttributes(v, kind, update.attributes, errors, ''),
    toxicity: (v) => (update.toxicity = goFloat32(v, fieldPlace('', 'toxicity'), errors) ?? update.toxicity),
  })
  throwFirstTypeError(errors)
  return update
}
