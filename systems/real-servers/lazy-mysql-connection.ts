import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise'

/**
 * One mysql2 connection, opened on first use and forgotten when it breaks (the server restarted, was killed, or the
 * harness gave up on it), so the next use reconnects.
 */
export class LazyMysqlConnection {
  private connection: Connection | null = null

  constructor(private readonly options: ConnectionOptions) {}

  async get(): Promise<Connection> {
    if (this.connection) return this.connection
    const connection = await createConnection(this.options)
    // A broken connection surfaces as an error on the next query; without a listener mysql2 would throw it.
    connection.on('error', () => {
      if (this.connection === connection) this.connection = null
    })
    this.connection = connection
    return connection
  }

  close(): void {
    const connection = this.connection
    this.connection = null
    connection?.destroy()
  }
}
