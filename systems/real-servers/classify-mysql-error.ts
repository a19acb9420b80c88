import { DbError, type DbErrorCode } from '../../core/sql/db-error.js'

interface MysqlLikeError {
  errno?: number
  code?: string
  message?: string
  sqlMessage?: string
  fatal?: boolean
}

/** Server error numbers whose statement certainly did not take effect. */
const DEFINITE_ERRNO: Record<number, DbErrorCode> = {
  1062: 'duplicate-key', // ER_DUP_ENTRY
  1205: 'lock-wait-timeout', // ER_LOCK_WAIT_TIMEOUT
  1213: 'deadlock', // ER_LOCK_DEADLOCK
  1290: 'read-only', // ER_OPTION_PREVENTS_STATEMENT (--read-only)
  1836: 'read-only', // ER_READ_ONLY_MODE
}

/** Errors that mean "the session was killed": a semi-sync waiter KILLed on MariaDB keeps its commit. */
const KILLED_ERRNO = new Set([1927, 1317, 1053]) // ER_CONNECTION_KILLED, ER_QUERY_INTERRUPTED, ER_SERVER_SHUTDOWN

/**
 * The explicit error table of the MariaDB client: a definite failure is `fail`, anything that may have committed is
 * `info` (Jepsen's rule). `phase` says whether the statement had been sent: a failed connect sent nothing.
 */
export function classifyMysqlError(error: unknown, node: string, phase: 'connect' | 'query'): DbError {
  if (error instanceof DbError) return error
  const e = (error ?? {}) as MysqlLikeError
  const detail = e.sqlMessage ?? e.message ?? String(error)
  if (phase === 'connect') {
    if (e.code === 'ECONNREFUSED') return new DbError('connection-refused', node, detail)
    return new DbError('connect-timeout', node, detail)
  }
  if (e.errno !== undefined && DEFINITE_ERRNO[e.errno])
    return new DbError(DEFINITE_ERRNO[e.errno] as DbErrorCode, node, detail)
  if (e.errno !== undefined && KILLED_ERRNO.has(e.errno)) return new DbError('killed', node, detail)
  if (e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') return new DbError('timeout', node, detail)
  // CR_SERVER_LOST 2013, PROTOCOL_CONNECTION_LOST, ECONNRESET, EPIPE and everything unknown: the commit may have happened.
  return new DbError('connection-lost', node, detail)
}
