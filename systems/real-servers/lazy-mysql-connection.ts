import { createConnection, type Connection, type ConnectionOptions, type QueryOptions } from 'mysql2/promise'

/**
 * How long after its own timeout a statement is given up by the harness when mysql2 has not answered: mysql2 arms a
 * statement's timeout only when the statement reaches the server, so one queued behind a long statement on the same
 * session (a CLONE) would otherwise wait without limit.
 */
const BACKSTOP_GRACE_MS = 2000

/** A statement the harness gave up on: it may or may not have run (like a lost connection). */
export class AbandonedStatementError extends Error {
  readonly fatal = true
  constructor(
    readonly code: 'HARNESS_STATEMENT_TIMEOUT' | 'HARNESS_CONNECTION_CLOSED',
    message: string,
  ) {
    super(message)
    this.name = 'AbandonedStatementError'
  }
}

/**
 * One mysql2 connection, opened on first use and forgotten when it breaks (the server restarted, was killed, or the
 * harness gave up on it), so the next use reconnects. Every statement settles: when the harness closes the connection,
 * statements still pending on it fail (mysql2 itself leaves them unanswered once closed), and one that outlives its
 * timeout by `BACKSTOP_GRACE_MS` fails and takes the connection with it.
 */
export class LazyMysqlConnection {
  private connection: Connection | null = null
  private connecting: Promise<Connection> | null = null
  private readonly pending = new Map<Connection, Set<(error: Error) => void>>()

  /** `open` is mysql2's `createConnection` but in tests of the settling rules. */
  constructor(
    private readonly options: ConnectionOptions,
    private readonly open: (options: ConnectionOptions) => Promise<Connection> = createConnection,
  ) {}

  async get(): Promise<Connection> {
    if (this.connection) return this.connection
    // Concurrent first uses share one connect: a second session opened meanwhile would be leaked.
    this.connecting ??= this.open(this.options).finally(() => (this.connecting = null))
    const connection = await this.connecting
    if (this.connection !== connection) {
      // A broken connection surfaces as an error on the next query; without a listener mysql2 would throw it.
      connection.on('error', () => {
        if (this.connection === connection) this.connection = null
      })
      this.connection = connection
    }
    return connection
  }

  /** Runs one statement with a timeout (milliseconds), and returns its rows or result header. */
  async query<T>(options: QueryOptions & { timeout: number }): Promise<T> {
    const connection = await this.get()
    return new Promise<T>((resolve, reject) => {
      let waiting = this.pending.get(connection)
      if (!waiting) this.pending.set(connection, (waiting = new Set()))
      const waiters = waiting
      const settle = (): void => {
        clearTimeout(backstop)
        waiters.delete(abandon)
        if (waiters.size === 0 && this.pending.get(connection) === waiters) this.pending.delete(connection)
      }
      const abandon = (error: Error): void => {
        settle()
        reject(error)
      }
      const backstop = setTimeout(() => {
        abandon(
          new AbandonedStatementError(
            'HARNESS_STATEMENT_TIMEOUT',
            `no answer within ${options.timeout + BACKSTOP_GRACE_MS} ms (the statement's timeout is ${options.timeout} ms); the connection was closed`,
          ),
        )
        this.discard(connection)
      }, options.timeout + BACKSTOP_GRACE_MS)
      waiters.add(abandon)
      connection.query(options).then(
        ([result]) => {
          settle()
          resolve(result as T)
        },
        (error: unknown) => {
          settle()
          reject(error instanceof Error ? error : new Error(String(error)))
        },
      )
    })
  }

  close(): void {
    const connection = this.connection
    this.connection = null
    if (connection) this.discard(connection)
  }

  /** Destroys `connection` and fails what is still pending on it. */
  private discard(connection: Connection): void {
    if (this.connection === connection) this.connection = null
    connection.destroy()
    const waiters = this.pending.get(connection)
    this.pending.delete(connection)
    for (const abandon of waiters ?? [])
      abandon(
        new AbandonedStatementError(
          'HARNESS_CONNECTION_CLOSED',
          'the connection was closed while the statement was pending (an earlier statement on it failed or timed out)',
        ),
      )
  }
}
