/**
 * The error classes a client can see, shared by every backend. `definite` errors mean the statement certainly did not
 * take effect (history `fail`); the others leave the outcome unknown (history `info`).
 */
export type DbErrorCode =
  | 'duplicate-key' // ER_DUP_ENTRY 1062
  | 'lock-wait-timeout' // ER_LOCK_WAIT_TIMEOUT 1205
  | 'deadlock' // ER_LOCK_DEADLOCK 1213
  | 'read-only' // ER_OPTION_PREVENTS_STATEMENT 1290
  | 'connection-refused' // nothing was sent
  | 'connect-timeout' // nothing was sent
  | 'connection-lost' // CR_SERVER_LOST 2013: the server may have committed
  | 'timeout' // the client gave up waiting
  | 'killed' // ER_CONNECTION_KILLED 1927 while waiting for an ack

const DEFINITE: ReadonlySet<DbErrorCode> = new Set([
  'duplicate-key',
  'lock-wait-timeout',
  'deadlock',
  'read-only',
  'connection-refused',
  'connect-timeout',
])

export class DbError extends Error {
  readonly definite: boolean

  constructor(
    readonly code: DbErrorCode,
    readonly node: string,
    detail?: string,
  ) {
    super(`${node}: ${code}${detail ? ` (${detail})` : ''}`)
    this.name = 'DbError'
    this.definite = DEFINITE.has(code)
  }
}
