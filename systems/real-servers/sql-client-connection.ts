import type { Statement, StatementResult } from '../../core/sql/statement.js'
import type { ClientConnection } from '../../core/cluster/cluster.js'
import { classifyMysqlError } from './classify-mysql-error.js'
import { LazyMysqlConnection } from './lazy-mysql-connection.js'
import { statementSql } from './statement-sql.js'

export interface Endpoint {
  host: string
  port: number
  user: string
  password: string
}

/** One client session on a MariaDB node through mysql2, connected on first use. Errors are classified `DbError`s. */
export class SqlClientConnection implements ClientConnection {
  private readonly connection: LazyMysqlConnection

  constructor(
    readonly node: string,
    endpoint: Endpoint,
    connectTimeoutMs = 2000,
  ) {
    this.connection = new LazyMysqlConnection({
      ...endpoint,
      connectTimeout: connectTimeoutMs,
      supportBigNumbers: true,
    })
  }

  async execute(statement: Statement, timeoutNs: number): Promise<StatementResult> {
    await this.connect()
    try {
      let result: unknown
      for (const { sql, values } of statementSql(statement)) {
        result = await this.connection.query<unknown>({
          sql,
          values,
          timeout: Math.max(1, Math.round(timeoutNs / 1e6)),
        })
      }
      if (statement.kind === 'begin' || statement.kind === 'commit' || statement.kind === 'rollback')
        return { kind: 'done' }
      if (statement.kind === 'select-all' || statement.kind === 'select-prefix' || statement.kind === 'select') {
        const rows = result as Array<{ k: string; v: string | null }>
        if (statement.kind === 'select') return { kind: 'row', value: rows[0] ? parse(rows[0].v) : null }
        return { kind: 'rows', keys: rows.map((r) => r.k), values: rows.map((r) => parse(r.v)) }
      }
      return { kind: 'written', affectedRows: (result as { affectedRows: number }).affectedRows }
    } catch (error) {
      const classified = classifyMysqlError(error, this.node, 'query')
      if (!classified.definite) this.close()
      throw classified
    }
  }

  close(): void {
    this.connection.close()
  }

  private async connect(): Promise<void> {
    try {
      await this.connection.get()
    } catch (error) {
      throw classifyMysqlError(error, this.node, 'connect')
    }
  }
}

function parse(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
