import { isDeepStrictEqual } from 'node:util'
import type { ModelName } from '../../../checkers/linearizability/index.js'

/**
 * Naive sequential models, written independently of the checker's (no interning, no tries, no bitsets), for the
 * brute-force reference and for generating histories by construction.
 */
export interface ReferenceModel {
  init(): unknown
  isRead(f: string): boolean
  /** `value`: a read's result, or an update's argument. */
  apply(state: unknown, f: string, value: unknown): { ok: boolean; state: unknown }
  /** What a read returns in `state`. */
  readResult(state: unknown): unknown
}

const register: ReferenceModel = {
  init: () => null,
  isRead: (f) => f === 'read',
  apply(state, f, value) {
    if (f === 'write') return { ok: true, state: value }
    if (f === 'read') return { ok: isDeepStrictEqual(state, value ?? null), state }
    const [expected, next] = value as [unknown, unknown]
    return isDeepStrictEqual(state, expected) ? { ok: true, state: next } : { ok: false, state }
  },
  readResult: (state) => state,
}

const kv: ReferenceModel = {
  init: () => '',
  isRead: (f) => f === 'get',
  apply(state, f, value) {
    if (f === 'put') return { ok: true, state: value }
    if (f === 'append') return { ok: true, state: `${state as string}${value as string}` }
    return { ok: (value ?? '') === state, state }
  },
  readResult: (state) => state,
}

const set: ReferenceModel = {
  init: () => [],
  isRead: (f) => f === 'read',
  apply(state, f, value) {
    const members = state as unknown[]
    if (f === 'add')
      return { ok: true, state: members.some((m) => isDeepStrictEqual(m, value)) ? members : [...members, value] }
    const read = (value ?? []) as unknown[]
    const same =
      read.every((r) => members.some((m) => isDeepStrictEqual(m, r))) &&
      members.every((m) => read.some((r) => isDeepStrictEqual(m, r)))
    return { ok: same, state }
  },
  readResult: (state) => [...(state as unknown[])],
}

export const REFERENCE_MODELS: Record<ModelName, ReferenceModel> = { register, kv, set }
