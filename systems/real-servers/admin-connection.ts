import type { RowDataPacket } from 'mysql2/promise'
import { LazyMysqlConnection } from './lazy-mysql-connection.js'
import type { Account } from './run-credentials.js'

/** A statement that stops a replica's applier (SQL thread): `STOP REPLICA`, `STOP SLAVE SQL_THREAD`, … */
const STOPS_APPLIER = /^STOP (REPLICA|SLAVE)(?! IO_THREAD)\b/i

/**
 * How long stopping an applier may take. MySQL's multi-threaded applier, stopped while it holds part of a transaction
 * (the IO thread was stopped in the middle of receiving one, as a failover does after a cut), waits up to 60 s for the
 * rest before it gives up ("deferring to exit until the group completion"): a failover has to sit that out.
 */
const APPLIER_STOP_TIMEOUT_MS = 120_000

/**
 * The run's admin session on one node for the harness's own statements (setup, replication control, status). It reconnects
 * after the server restarts, and every statement has a timeout so a paused server cannot hang the harness.
 */
export class AdminConnection {
  private readonly connection: LazyMysqlConnection

  constructor(
    readonly node: string,
    port: number,
    account: Account,
    private readonly timeoutMs = 5000,
  ) {
    this.connection = new LazyMysqlConnection({ host: '127.0.0.1', port, ...account, connectTimeout: timeoutMs })
  }

  /** Runs one statement; `timeoutMs` overrides the session's statement timeout (a clone takes longer). */
  async query<T extends RowDataPacket = RowDataPacket>(
    sql: string,
    values: unknown[] = [],
    timeoutMs = this.timeoutMs,
  ): Promise<T[]> {
    try {
      return await this.connection.query<T[]>({ sql, values, timeout: timeoutMs })
    } catch (error) {
      // A broken or timed-out session was dropped already (statements queued behind it run on a new one).
      throw new Error(`${this.node}: ${sql.split('\n')[0]} failed: ${(error as Error).message}`, { cause: error })
    }
  }

  /** Runs statements in order on one session. */
  async exec(...statements: string[]): Promise<void> {
    for (const sql of statements)
      await this.query(sql, [], STOPS_APPLIER.test(sql) ? APPLIER_STOP_TIMEOUT_MS : undefined)
  }

  /** True when the server answers `SELECT 1` right now. */
  async ping(): Promise<boolean> {
    try {
      await this.query('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  close(): void {
    this.connection.close()
  }
}
