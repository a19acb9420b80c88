import { EventEmitter } from 'node:events'
import type { Connection } from 'mysql2/promise'
import { describe, expect, it } from 'vitest'
import { AbandonedStatementError, LazyMysqlConnection } from '../../../systems/real-servers/lazy-mysql-connection.js'

/**
 * A mysql2 session reduced to what matters here, with mysql2's own rules (read from its source, 3.x): statements run
 * one at a time; a statement's timeout is armed only when it reaches the server, and when it fires the statement stays
 * the session's current one (the server still owes its answer); `destroy()` marks the session closing and then answers
 * nothing still pending. `SLEEP` never comes back, as a CLONE or a STOP REPLICA waiting for a
 * transaction may not.
 */
class FakeSession extends EventEmitter {
  destroyed = false
  private queue: Array<() => void> = []
  private busy = false

  query(options: { sql: string; timeout: number }): Promise<[unknown, unknown]> {
    return new Promise((resolve, reject) => {
      const start = (): void => {
        if (this.destroyed) return
        this.busy = true
        if (options.sql === 'SLEEP') {
          setTimeout(() => {
            if (this.destroyed) return
            reject(Object.assign(new Error('Query inactivity timeout'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' }))
          }, options.timeout)
          return
        }
        resolve([{ affectedRows: 0 }, undefined])
        this.next()
      }
      if (this.busy) this.queue.push(start)
      else start()
    })
  }

  destroy(): void {
    this.destroyed = true
  }

  private next(): void {
    this.busy = false
    this.queue.shift()?.()
  }
}

function lazyOverFakes(): { connection: LazyMysqlConnection; sessions: FakeSession[] } {
  const sessions: FakeSession[] = []
  const connection = new LazyMysqlConnection({}, async () => {
    const session = new FakeSession()
    sessions.push(session)
    return session as unknown as Connection
  })
  return { connection, sessions }
}

describe('LazyMysqlConnection: every statement settles', () => {
  it('answers statements in turn on one session', async () => {
    const { connection, sessions } = lazyOverFakes()
    await expect(connection.query({ sql: 'DO 1', timeout: 1000 })).resolves.toEqual({ affectedRows: 0 })
    await expect(connection.query({ sql: 'DO 1', timeout: 1000 })).resolves.toEqual({ affectedRows: 0 })
    expect(sessions).toHaveLength(1)
  })

  it('fails what is queued on a session the harness closes after a timeout (mysql2 alone would never answer it)', async () => {
    const { connection, sessions } = lazyOverFakes()
    const stuck = connection.query({ sql: 'SLEEP', timeout: 50 })
    const queued = connection.query({ sql: 'DO 1', timeout: 60_000 })
    await expect(stuck).rejects.toMatchObject({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' })
    // What the admin session does after a timeout: the session is of no more use.
    connection.close()
    expect(sessions[0]?.destroyed).toBe(true)
    const error = await queued.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbandonedStatementError)
    expect(error).toMatchObject({ code: 'HARNESS_CONNECTION_CLOSED', fatal: true })
  })

  it('opens one session for concurrent first uses', async () => {
    const { connection, sessions } = lazyOverFakes()
    await Promise.all([1, 2, 3].map(() => connection.query({ sql: 'DO 1', timeout: 1000 })))
    expect(sessions).toHaveLength(1)
  })

  it('gives up on a statement queued behind a long one soon after its own timeout, then reconnects', async () => {
    const { connection, sessions } = lazyOverFakes()
    const long = connection.query({ sql: 'SLEEP', timeout: 60_000 })
    const queued = await connection.query({ sql: 'DO 1', timeout: 100 }).catch((e: unknown) => e)
    expect(queued).toMatchObject({ code: 'HARNESS_STATEMENT_TIMEOUT', fatal: true })
    // The session went with it, and what it held: the long statement fails too; the next statement reconnects.
    await expect(long).rejects.toMatchObject({ code: 'HARNESS_CONNECTION_CLOSED' })
    expect(sessions[0]?.destroyed).toBe(true)
    await expect(connection.query({ sql: 'DO 1', timeout: 1000 })).resolves.toEqual({ affectedRows: 0 })
    expect(sessions).toHaveLength(2)
  })

  it('leaves a statement its full timeout before the backstop (a long statement that answers in time succeeds)', async () => {
    const { connection } = lazyOverFakes()
    const slow = connection.query({ sql: 'SLEEP', timeout: 300 })
    // mysql2's own timeout answers first, with its own error: the backstop did not pre-empt it.
    await expect(slow).rejects.toMatchObject({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' })
  })
})
