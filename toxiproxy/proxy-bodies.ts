import { ERR_MISSING_FIELD } from './api-errors.js'
import { decodeGoStruct, fieldPlace, goArray, goBool, goString, GoTypeErrors, type GoPlace } from './go-json-decoder.js'
import type { GoJsonValue } from './go-json-parser.js'
import { checkNameLength } from './name-limit.js'
import { parseBody, throwFirstTypeError } from './request-body.js'

export interface ProxyFields {
  name: string
  listen: string
  upstream: string
  enabled: boolean
}

function decodeProxyFields(
  value: GoJsonValue | undefined,
  into: ProxyFields,
  struct: string,
  topLevelType: string,
  errors: GoTypeErrors,
): void {
  const place = (path: string): GoPlace => fieldPlace(struct, path)
  decodeGoStruct(value, { topLevelType }, topLevelType, errors, {
    name: (v) => (into.name = goString(v, place('name'), errors) ?? into.name),
    listen: (v) => (into.listen = goString(v, place('listen'), errors) ?? into.listen),
    upstream: (v) => (into.upstream = goString(v, place('upstream'), errors) ?? into.upstream),
    enabled: (v) => (into.enabled = goBool(v, place('enabled'), errors) ?? into.enabled),
  })
}

/** POST /proxies: `enabled` defaults to true; then name and upstream are required, in that order. */
export function decodeProxyCreate(body: string): ProxyFields {
  const errors = new GoTypeErrors()
  const fields: ProxyFields = { name: '', listen: '', upstream: '', enabled: true }
  decodeProxyFields(parseBody(body), fields, 'Proxy', 'toxiproxy.Proxy', errors)
  throwFirstTypeError(errors)
  if (fields.name === '') throw ERR_MISSING_FIELD.joined('name')
  if (fields.upstream === '') throw ERR_MISSING_FIELD.joined('upstream')
  checkNameLength(fields.name)
  return fields
}

/** POST/PATCH /proxies/{proxy}: a partial update; absent fields keep the proxy's current values. */
export function decodeProxyUpdate(body: string, current: ProxyFields): ProxyFields {
  const errors = new GoTypeErrors()
  const fields = { ...current }
  decodeProxyFields(parseBody(body), fields, 'Proxy', 'toxiproxy.Proxy', errors)
  throwFirstTypeError(errors)
  return fields
}

const POPULATE_ENTRY = 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }'

/**
 * POST /populate: a JSON array of proxies. Every entry is checked before anything is created (`missing required field:
 * name at proxy 2`, 1-based); an entry without `enabled` is enabled.
 */
export function decodePopulate(body: string): ProxyFields[] {
  const errors = new GoTypeErrors()
  const value = parseBody(body)
  const items = goArray(value, `[]${POPULATE_ENTRY}`, errors) ?? []
  const entries = items.map((item) => {
    const fields: ProxyFields = { name: '', listen: '', upstream: '', enabled: true }
    // The entry type is an anonymous struct embedding Proxy, so Go names its fields `.name`.
    decodeProxyFields(item, fields, '', POPULATE_ENTRY, errors)
    return fields
  })
  throwFirstTypeError(errors)
  entries.forEach((entry, index) => {
    if (entry.name === '') throw ERR_MISSING_FIELD.joined(`name at proxy ${index + 1}`)
    if (entry.upstream === '') throw ERR_MISSING_FIELD.joined(`upstream at proxy ${index + 1}`)
  })
  entries.forEach((entry, index) => checkNameLength(entry.name, ` at proxy ${index + 1}`))
  return entries
}
