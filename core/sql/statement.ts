/**
 * What a client asks a server to do, in a vocabulary every backend implements: the engine executes these directly,
 * the MariaDB backend renders them as SQL. Each statement is its own autocommit transaction.
 */
export type Statement =
  | { kind: 'insert'; table: string; key: string; value: unknown }
  | { kind: 'upsert'; table: string; key: string; value: unknown }
  | { kind: 'cas'; table: string; key: string; expected: unknown; value: unknown }
  | { kind: 'select'; table: string; key: string }
  | { kind: 'select-all'; table: string }
  /** Rows whose key starts with `prefix` (keys are fixed-width, so a prefix is a key range). */
  | { kind: 'select-prefix'; table: string; prefix: string }

export type StatementResult =
  | { kind: 'written'; affectedRows: number }
  | { kind: 'row'; value: unknown }
  /** Rows as two parallel arrays: a read of a thousand rows is two allocations, not a thousand. */
  | { kind: 'rows'; keys: string[]; values: unknown[] }

export function isWrite(statement: Statement): boolean {
  return statement.kind === 'insert' || statement.kind === 'upsert' || statement.kind === 'cas'
}
