import { createConnection, type Connection, type ConnectionOptions, type QueryOptions } from 'mysql2/promise'

/**
 * How long after its own timeout a running statement is given up by the harness when mysql2 has not answered (a
 * server that accepts bytes and never replies), so that no statement waits without limit.
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

interface Queued {
  run: () => void
  abandon: (error: Error) => void
}

/**
 * One mysql2 session, opened on first use and replaced when it breaks (the server restarted, was killed, or the
 * harness gave up on it). Statements run one at a time in the order they were asked for, each on the live session
 * when its turn comes: one stuck behind a long statement (a CLONE, a STOP REPLICA waiting for a transaction) waits
 * for it, but is never lost with its session. Every statement settles:
 * - a running statement that outlives its timeout by `BACKSTOP_GRACE_MS` fails, and its session is dropped;
 * - a statement that fails with a broken session or a timeout drops the session (mysql2 would keep the timed-out
 *   statement current until the server answers), and the next one opens a new session;
 * - `close()` fails the running statement (its session goes) and leaves the queued ones to a new session.
 */
export class LazyMysqlConnection {
  private connection: Connection | null = null
  private connecting: Promise<Connection> | null = null
  private readonly queue: Queued[] = []
  private running: Queued | null = null

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

  /** Runs one statement, in turn, with a timeout (milliseconds); its rows or result header. */
  query<T>(options: QueryOptions & { timeout: number }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false
      let backstop: NodeJS.Timeout | undefined
      const finish = (): void => {
        settled = true
        clearTimeout(backstop)
        if (this.running === item) this.running = null
        this.next()
      }
      const item: Queued = {
        abandon: (error) => {
          if (settled) return
          finish()
          reject(error)
        },
        run: () => {
          this.get().then(
            (connection) => {
              if (settled) return
              backstop = setTimeout(() => {
                // The session goes first, so the next statement opens a new one.
                this.discard(connection)
                item.abandon(
                  new AbandonedStatementError(
                    'HARNESS_STATEMENT_TIMEOUT',
                    `no answer within ${options.timeout + BACKSTOP_GRACE_MS} ms (the statement's timeout is ` +
                      `${options.timeout} ms); the connection was closed`,
                  ),
                )
              }, options.timeout + BACKSTOP_GRACE_MS)
              connection.query(options).then(
                ([result]) => {
                  if (settled) return
                  finish()
                  resolve(result as T)
                },
                (error: unknown) => {
                  if (settled) return
                  const { fatal, code } = (error ?? {}) as { fatal?: boolean; code?: string }
                  if (fatal || code === 'PROTOCOL_SEQUENCE_TIMEOUT') this.discard(connection)
                  finish()
                  reject(error instanceof Error ? error : new Error(String(error)))
                },
              )
            },
            (error: unknown) => {
              if (settled) return
              finish()
              reject(error instanceof Error ? error : new Error(String(error)))
            },
          )
        },
      }
      this.queue.push(item)
      this.next()
    })
  }

  /** Drops the session: the statement running on it fails, the queued ones will run on a new one. */
  close(): void {
    const connection = this.connection
    this.connection = null
    connection?.destroy()
    this.running?.abandon(
      new AbandonedStatementError(
        'HARNESS_CONNECTION_CLOSED',
        'the connection was closed while the statement was running (the server went, or the harness gave up on it)',
      ),
    )
  }

  private next(): void {
    if (this.running) return
    const item = this.queue.shift()
    if (!item) return
    this.running = item
    item.run()
  }

  /** Destroys `connection` if it is still the session in use (a later one is left alone). */
  private discard(connection: Connection): void {
    if (this.connection === connection) this.connection = null
    connection.destroy()
  }
}
