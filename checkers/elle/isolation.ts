import { ConfigError } from '../../core/errors/config-error.js'
import { DEFAULT_ISOLATION_LEVEL, ISOLATION_LEVELS as TRANSACTION_ISOLATION_LEVELS } from '../../core/sql/statement.js'
import { ORDER_VARIANT_KINDS, type AnomalyKind } from '../checker.js'

/**
 * The isolation levels the checker judges a history against, weakest first: those a transaction can ask a server for,
 * and strict serializability, which only the history's real-time order can show.
 */
export const ISOLATION_LEVELS = [...TRANSACTION_ISOLATION_LEVELS, 'strict-serializable'] as const
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number]

export const DEFAULT_ISOLATION: IsolationLevel = DEFAULT_ISOLATION_LEVEL

/** The kinds the checker reports, in the order results list them. */
export const ELLE_KINDS: readonly AnomalyKind[] = [
  'internal',
  'duplicate-append',
  'unexpected',
  'incompatible-order',
  'lost-acked-write',
  'G1a',
  'G1b',
  'G0',
  'G1c',
  'lost-update',
  'G-single',
  'G2-item',
  ...ORDER_VARIANT_KINDS,
]

/**
 * What no level allows: a transaction that contradicts itself, a list holding an element twice or one nobody
 * appended, two reads of a key that no single order explains, an acknowledged append the primary no longer has.
 */
const ALWAYS: readonly AnomalyKind[] = [
  'internal',
  'duplicate-append',
  'unexpected',
  'incompatible-order',
  'lost-acked-write',
]

/** Adya's PL-2: no dirty writes (G0), no dirty reads (G1a, G1b, G1c). */
const READ_COMMITTED: readonly AnomalyKind[] = [...ALWAYS, 'G0', 'G1a', 'G1b', 'G1c']

/**
 * Adya's PL-2.99 adds G2-item. Its G2-item is any cycle with an item anti-dependency, so a G-single on items is one
 * too, and so is a lost update; this workload has no predicate reads, which leaves nothing between PL-2.99 and PL-3.
 */
const REPEATABLE_READ: readonly AnomalyKind[] = [...READ_COMMITTED, 'lost-update', 'G-single', 'G2-item']

/** Strict serializability also orders a transaction after every one that completed before it began. */
const STRICT_SERIALIZABLE: readonly AnomalyKind[] = [...REPEATABLE_READ, ...ORDER_VARIANT_KINDS]

const PROSCRIBED: Record<IsolationLevel, ReadonlySet<AnomalyKind>> = {
  'read-committed': new Set(READ_COMMITTED),
  'repeatable-read': new Set(REPEATABLE_READ),
  serializable: new Set(REPEATABLE_READ),
  'strict-serializable': new Set(STRICT_SERIALIZABLE),
}

/** The anomalies that make a history invalid at `level`. */
export function proscribedAt(level: IsolationLevel): ReadonlySet<AnomalyKind> {
  return PROSCRIBED[level]
}

export function parseIsolationLevel(name: string, field = 'isolation'): IsolationLevel {
  const level = ISOLATION_LEVELS.find((l) => l === name)
  if (level === undefined) {
    throw new ConfigError(
      field,
      `unknown isolation level ${JSON.stringify(name)}; known: ${ISOLATION_LEVELS.join(', ')}`,
    )
  }
  return level
}
