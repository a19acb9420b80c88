import type { IsolationLevel, Statement } from '../../core/sql/statement.js'

/** The schema every workload table lives in; one row per key, the value as JSON text. */
export const SCHEMA = 'chaos'

export function tableDdl(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${SCHEMA}.\`${table}\` (k VARCHAR(191) NOT NULL PRIMARY KEY, v LONGTEXT NULL) ENGINE=InnoDB`
}

/** `SET TRANSACTION ISOLATION LEVEL`'s words for each level. */
const ISOLATION_SQL: Record<IsolationLevel, string> = {
  'read-committed': 'READ COMMITTED',
  'repeatable-read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
}

/**
 * A statement as parameterised SQL, sent one after another on the session: one query, or two for `begin` (the
 * isolation level of the next transaction, then its start). Outside a transaction each is its own autocommit one.
 */
export function statementSql(statement: Statement): Array<{ sql: string; values: unknown[] }> {
  switch (statement.kind) {
    case 'begin':
      return [
        { sql: `SET TRANSACTION ISOLATION LEVEL ${ISOLATION_SQL[statement.isolation]}`, values: [] },
        { sql: 'START TRANSACTION', values: [] },
      ]
    case 'commit':
      return [{ sql: 'COMMIT', values: [] }]
    case 'rollback':
      return [{ sql: 'ROLLBACK', values: [] }]
    default:
      return [rowStatementSql(statement)]
  }
}

function rowStatementSql(
  statement: Exclude<Statement, { kind: 'begin' } | { kind: 'commit' } | { kind: 'rollback' }>,
): { sql: string; values: unknown[] } {
  const table = `${SCHEMA}.\`${statement.table}\``
  switch (statement.kind) {
    case 'insert':
      return {
        sql: `INSERT INTO ${table} (k, v) VALUES (?, ?)`,
        values: [statement.key, JSON.stringify(statement.value)],
      }
    case 'upsert':
      return {
        sql: `INSERT INTO ${table} (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)`,
        values: [statement.key, JSON.stringify(statement.value)],
      }
    case 'cas':
      return {
        sql: `UPDATE ${table} SET v = ? WHERE k = ? AND v = ?`,
        values: [JSON.stringify(statement.value), statement.key, JSON.stringify(statement.expected)],
      }
    case 'append':
      // The list is the row's JSON array: one row per key, so an append takes that row's lock (appends to one key
      // serialise, as Elle's list-append expects) and a read returns the whole list in order. Both servers have
      // JSON_ARRAY_APPEND over text; the element goes in as a literal (mysql2 writes a number as a number).
      return {
        sql: `INSERT INTO ${table} (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = JSON_ARRAY_APPEND(v, '$', ?)`,
        values: [statement.key, JSON.stringify([statement.value]), statement.value],
      }
    case 'select':
      return { sql: `SELECT k, v FROM ${table} WHERE k = ?`, values: [statement.key] }
    case 'select-all':
      return { sql: `SELECT k, v FROM ${table}`, values: [] }
    case 'select-prefix':
      // A LIKE with a constant prefix is a primary-key range scan.
      return {
        sql: `SELECT k, v FROM ${table} WHERE k LIKE ?`,
        values: [`${statement.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
      }
  }
}
