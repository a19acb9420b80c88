import type { Statement } from '../../core/sql/statement.js'

/** The schema every workload table lives in; one row per key, the value as JSON text. */
export const SCHEMA = 'chaos'

export function tableDdl(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${SCHEMA}.\`${table}\` (k VARCHAR(191) NOT NULL PRIMARY KEY, v LONGTEXT NULL) ENGINE=InnoDB`
}

/** A statement as parameterised SQL (each is its own autocommit transaction). */
export function statementSql(statement: Statement): { sql: string; values: unknown[] } {
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
