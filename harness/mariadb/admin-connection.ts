import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise'

/**
 * A root session on one node for the harness's own statements (setup, replication control, status). It reconnects
 * after the server restarts, and every statement has a timeout so a paused server cannot hang the harness.
 */
export class AdminConnection {
  private connection: Connection | null = null

  constructor(
    readonly node: string,
    private readonly port: number,
    private readonly timeoutMs = 5000,
  ) {}

  async query<T extends RowDataPacket = RowDataPacket>(sql: string, values: unknown[] = []): Promise<T[]> {
    const connection = await this.connect()
    try {
      const [rows] = await connection.query<T[]>({ sql, values, timeout: this.timeoutMs })
      return rows
    } catch (error) {
      if ((error as { fatal?: boolean }).fatal || (error as { code?: string }).code === 'PROTOCOL_SEQUENCE_TIMEOUT') this.close()
      throw new Error(`${this.node}: ${sql.split('\n')[0]} failed: ${(error as Error).message}`, { cause: error })
    }
  }

  /** Runs statements in order on one session. */
  async exec(...statements: string[]): Promise<void> {
    for (const sql of statements) await this.query(sql)
  }

  /** True when the server answers `SELECT 1` right now. */
  async ping(): Promise<boolean> {
    try {
      await this.query('SELECT 1')
      return true
    } catch {
      this.close()
      return false
    }
  }

  close(): void {
    const connection = this.connection
    this.connection = null
    connection?.destroy()
  }

  private async connect(): Promise<Connection> {
    if (this.connection) return this.connection
    const connection = await createConnection({
      host: '127.0.0.1',
      port: this.port,
      user: 'root',
      connectTimeout: this.timeoutMs,
      multipleStatements: false,
    })
    connection.on('error', () => {
      if (this.connection === connection) this.connection = null
    })
    this.connection = connection
    return connection
  }
}
