/** A transaction's isolation level (`SET TRANSACTION ISOLATION LEVEL …`), weakest first. */
export const ISOLATION_LEVELS = ['read-committed', 'repeatable-read', 'serializable'] as const
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number]
/** The strongest: what a run asks for, and what a history is held to, unless told otherwise. */
export const DEFAULT_ISOLATION_LEVEL: IsolationLevel = 'serializable'

/**
 * What a client asks a server to do, in a vocabulary every backend implements: the engine executes these directly,
 * the real servers' backends render them as SQL. A statement outside `begin` … `commit` is its own autocommit
 * transaction; between them, the session's transaction holds its reads and writes until `commit` or `rollback`.
 */
export type Statement =
  | { kind: 'insert'; table: string; key: string; value: unknown }
  | { kind: 'upsert'; table: string; key: string; value: unknown }
  | { kind: 'cas'; table: string; key: string; expected: unknown; value: unknown }
  | { kind: 'select'; table: string; key: string }
  | { kind: 'select-all'; table: string }
  /** Rows whose key starts with `prefix` (keys are fixed-width, so a prefix is a key range). */
  | { kind: 'select-prefix'; table: string; prefix: string }
  /** Appends `value` to the key's list (a JSON array; the row is created holding `[value]` when absent). */
  | { kind: 'append'; table: string; key: string; value: unknown }
  | { kind: 'begin'; isolation: IsolationLevel }
  | { kind: 'commit' }
  | { kind: 'rollback' }

export type StatementResult =
  | { kind: 'written'; affectedRows: number }
  | { kind: 'row'; value: unknown }
  /** Rows as two parallel arrays: a read of a thousand rows is two allocations, not a thousand. */
  | { kind: 'rows'; keys: string[]; values: unknown[] }
  /** `begin`, `commit` and `rollback` answer this. */
  | { kind: 'done' }

export function isWrite(statement: Statement): boolean {
  return (
    statement.kind === 'insert' ||
    statement.kind === 'upsert' ||
    statement.kind === 'cas' ||
    statement.kind === 'append'
  )
}
