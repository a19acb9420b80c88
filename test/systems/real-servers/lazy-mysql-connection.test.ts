import { EventEmitter } from 'node:events'
import type { Connection } from 'mysql2/promise'
import { describe, expect, it } from 'vitest'
import { AbandonedStatementError, LazyMysqlConnection } from '../../../systems/real-servers/lazy-mysql-connection.js'

/**
 * A mysql2 session reduced to what matters here, with mysql2's own rules (read from its source, 3.x): statements run
 * one at a time; a statement's timeout is armed only when it reaches the server, and when it fires the statement stays
 * the session's current one (the server still owes its answer); `destroy()` marks the session closing and then answers
 * nothing still pending. `SLEEP n` answers after n ms (never without n), as a CLONE or a STOP REPLICA waiting for a
 * transaction may take long or not come back.
 */
class FakeSession extends EventEmitter {
  destroyed = false
  readonly sent: string[] = []
  private queue: Array<() => void> = []
  private busy = false

  query(options: { sql: string; timeout: number }): Promise<[unknown, unknown]> {
    return new Promise((resolve, reject) => {
      const start = (): void => {
        if (this.destroyed) return
        this.busy = true
        this.sent.push(options.sql)
        const sleep = /^SLEEP ?(\d+)?$/.exec(options.sql)
        if (!sleep) {
          resolve([{ affectedRows: 0 }, undefined])
          this.next()
          return
        }
        const timer = setTimeout(() => {
          if (this.destroyed) return
          reject(Object.assign(new Error('Query inactivity timeout'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' }))
        }, options.timeout)
        if (sleep[1])
          setTimeout(() => {
            if (this.destroyed) return
            clearTimeout(timer)
            resolve([{ affectedRows: 0 }, undefined])
            this.next()
          }, Number(sleep[1]))
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

const OK = { affectedRows: 0 }

describe('LazyMysqlConnection: one statement at a time, and every statement settles', () => {
  it('answers statements in turn on one session', async () => {
    const { connection, sessions } = lazyOverFakes()
    await expect(connection.query({ sql: 'DO 1', timeout: 1000 })).resolves.toEqual(OK)
    await expect(connection.query({ sql: 'DO 1', timeout: 1000 })).resolves.toEqual(OK)
    expect(sessions).toHaveLength(1)
  })

  it('opens one session for concurrent first uses', async () => {
    const { connection, sessions } = lazyOverFakes()
    await Promise.all([1, 2, 3].map(() => connection.query({ sql: 'DO 1', timeout: 1000 })))
    expect(sessions).toHaveLength(1)
  })

  it('a short statement queued behind a long one waits for it: its timeout runs from its own start (seen: a status query behind STOP REPLICA)', async () => {
    const { connection, sessions } = lazyOverFakes()
    const long = connection.query({ sql: 'SLEEP 400', timeout: 60_000 })
    const queued = connection.query({ sql: 'DO 1', timeout: 50 })
    await expect(long).resolves.toEqual(OK)
    await expect(queued).resolves.toEqual(OK)
    expect(sessions).toHaveLength(1)
  })

  it('after a timeout the session is dropped and what was queued runs on a new one (mysql2 alone would never answer it)', async () => {
    const { connection, sessions } = lazyOverFakes()
    const stuck = connection.query({ sql: 'SLEEP', timeout: 50 })
    const queued = connection.query({ sql: 'DO 1', timeout: 60_000 })
    await expect(stuck).rejects.toMatchObject({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' })
    await expect(queued).resolves.toEqual(OK)
    expect(sessions).toHaveLength(2)
    expect(sessions[0]?.destroyed).toBe(true)
    expect(sessions[1]?.sent).toEqual(['DO 1'])
  })

  it('a statement whose session never answers, not even its timeout, fails with HARNESS_STATEMENT_TIMEOUT', async () => {
    const sessions: EventEmitter[] = []
    const connection = new LazyMysqlConnection({}, async () => {
      const session = Object.assign(new EventEmitter(), {
        query: () => new Promise(() => {}),
        destroy: () => {},
      })
      sessions.push(session)
      return session as unknown as Connection
    })
    const stuck = connection.query({ sql: 'DO 1', timeout: 50 })
    const queued = connection.query({ sql: 'DO 2', timeout: 50 })
    const error = await stuck.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbandonedStatementError)
    expect(error).toMatchObject({ code: 'HARNESS_STATEMENT_TIMEOUT', fatal: true })
    // The next statement had its turn on a new session (which never answers either).
    await expect(queued).rejects.toMatchObject({ code: 'HARNESS_STATEMENT_TIMEOUT' })
    expect(sessions).toHaveLength(2)
  })

  it('close() fails the running statement, and the queued ones run on a new session', async () => {
    const { connection, sessions } = lazyOverFakes()
    const long = connection.query({ sql: 'SLEEP', timeout: 60_000 })
    const queued = connection.query({ sql: 'DO 1', timeout: 60_000 })
    await new Promise((resolve) => setTimeout(resolve, 10))
    connection.close()
    const error = await long.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbandonedStatementError)
    expect(error).toMatchObject({ code: 'HARNESS_CONNECTION_CLOSED', fatal: true })
    await expect(queued).resolves.toEqual(OK)
    expect(sessions).toHaveLength(2)
  })
})
