import type { DbErrorCode } from '../../../core/sql/db-error.js'
import type { IsolationLevel, Statement, StatementResult } from '../../../core/sql/statement.js'
import { rowLockKey, type LockMode, type RowLocks } from './row-locks.js'
import type { RowWrite } from './row-write.js'
import type { WaitOutcome } from './semi-sync-master.js'
import type { StorageEngine } from './storage-engine.js'

/** A session's open transaction (`begin` … `commit`). */
interface Transaction {
  trxId: number
  isolation: IsolationLevel
  /** The rows it wrote, by lock key, in first-write order: the binlog entry its commit writes. */
  writes: Map<string, RowWrite>
  /** Its commit has begun (binlog, ack wait): a dropped connection no longer rolls it back. */
  committing: boolean
}

/** One client session as the executor sees it. */
export interface ExecutorSession {
  readonly id: number
  txn: Transaction | null
  reply(id: number, result: StatementResult): void
  fail(id: number, code: DbErrorCode, detail?: string): void
  /** The server closes the connection (a waiter killed while waiting for its ack). */
  drop(): void
}

/** What the executor needs from its server process. */
export interface ExecutorHost {
  readonly engine: StorageEngine
  readonly locks: RowLocks
  /** `read_only`: only the replication applier may write. */
  isReadOnly(): boolean
  lockWaitTimeoutNs(): number
  now(): number
  newTrxId(): number
  setTimer(delayNs: number, run: () => void): unknown
  clearTimer(handle: unknown): void
  guard(run: () => void): () => void
  /** Binlog write, sync, the semi-sync wait and the engine commit in the wait point's order; releases the locks. */
  commitLocal(writes: RowWrite[], trxId: number, sessionId: number, done: (outcome: WaitOutcome) => void): void
}

type RowStatement = Exclude<Statement, { kind: 'begin' } | { kind: 'commit' } | { kind: 'rollback' }>
type WriteStatement = Extract<Statement, { kind: 'insert' | 'upsert' | 'cas' | 'append' }>

/**
 * Runs client statements against one server's rows: autocommit statements, and transactions with InnoDB's row locks.
 * What the engine models of isolation: READ COMMITTED (reads see the latest committed rows and the transaction's own
 * writes, take no locks) and SERIALIZABLE (reads take shared locks, as InnoDB's do with autocommit off, so strict
 * two-phase locking makes the schedule serializable). It has no multi-version snapshots, so REPEATABLE READ is not
 * modelled: the option table refuses it on the engine. Range reads inside a transaction take no locks (no gap locks).
 */
export class StatementExecutor {
  constructor(private readonly host: ExecutorHost) {}

  execute(session: ExecutorSession, id: number, statement: Statement): void {
    switch (statement.kind) {
      case 'begin':
        return this.begin(session, id, statement.isolation)
      case 'commit':
        return this.commit(session, id)
      case 'rollback':
        this.rollback(session)
        return session.reply(id, { kind: 'done' })
      default:
        if (session.txn !== null) return this.inTransaction(session, id, statement, session.txn, this.host.now())
        return this.autocommit(session, id, statement)
    }
  }

  /** The connection closed: an open transaction that has not begun to commit is rolled back. */
  closed(session: ExecutorSession): void {
    this.rollback(session)
  }

  // ---- autocommit statements ---------------------------------------------------------------------------------

  private autocommit(session: ExecutorSession, id: number, statement: RowStatement): void {
    const { engine } = this.host
    switch (statement.kind) {
      case 'select':
        return session.reply(id, { kind: 'row', value: engine.get(statement.table, statement.key) ?? null })
      case 'select-all':
        return session.reply(id, { kind: 'rows', ...engine.allRows(statement.table) })
      case 'select-prefix':
        return session.reply(id, { kind: 'rows', ...engine.rowsWithPrefix(statement.table, statement.prefix) })
      default:
        return this.autocommitWrite(session, id, statement, this.host.newTrxId(), this.host.now())
    }
  }

  private autocommitWrite(
    session: ExecutorSession,
    id: number,
    statement: WriteStatement,
    trxId: number,
    startedAt: number,
  ): void {
    if (this.host.isReadOnly()) return session.fail(id, 'read-only', '--read-only option')
    const lockKey = rowLockKey(statement.table, statement.key)
    if (this.host.locks.conflicts(lockKey, trxId, 'x')) {
      return this.waitForLock(session, id, lockKey, null, 'x', startedAt, () =>
        this.autocommitWrite(session, id, statement, trxId, startedAt),
      )
    }
    const write = this.rowWrite(statement, undefined)
    if (typeof write === 'string') return session.fail(id, write)
    if (write === null) return session.reply(id, { kind: 'written', affectedRows: 0 })
    this.host.locks.acquire(lockKey, trxId)
    this.host.commitLocal([write], trxId, session.id, (outcome) => {
      if (outcome === 'killed') return this.killedWhileWaiting(session, id)
      session.reply(id, { kind: 'written', affectedRows: 1 })
    })
  }

  // ---- transactions ------------------------------------------------------------------------------------------

  private begin(session: ExecutorSession, id: number, isolation: IsolationLevel): void {
    if (isolation === 'repeatable-read') {
      // The option table refuses it for the engine; reaching here is a bug, not a server's answer.
      throw new Error('the engine does not model REPEATABLE READ (no multi-version snapshots)')
    }
    // Both servers commit an open transaction at START TRANSACTION; the workloads never leave one open, so the engine
    // does not model that implicit commit: it rolls the open transaction back.
    if (session.txn !== null && !session.txn.committing) this.rollback(session)
    session.txn = { trxId: this.host.newTrxId(), isolation, writes: new Map(), committing: false }
    session.reply(id, { kind: 'done' })
  }

  private inTransaction(
    session: ExecutorSession,
    id: number,
    statement: RowStatement,
    txn: Transaction,
    startedAt: number,
  ): void {
    const { engine, locks } = this.host
    if (statement.kind === 'select-all' || statement.kind === 'select-prefix') {
      const rows =
        statement.kind === 'select-all'
          ? engine.allRows(statement.table)
          : engine.rowsWithPrefix(statement.table, statement.prefix)
      return session.reply(id, { kind: 'rows', ...overlayOwnWrites(rows, txn, statement.table) })
    }
    const writing = statement.kind !== 'select'
    if (writing && this.host.isReadOnly()) return session.fail(id, 'read-only', '--read-only option')
    const lockKey = rowLockKey(statement.table, statement.key)
    const mode: LockMode | null = writing ? 'x' : txn.isolation === 'serializable' ? 's' : null
    if (mode !== null && locks.conflicts(lockKey, txn.trxId, mode)) {
      if (locks.wouldDeadlock(lockKey, txn.trxId, mode)) {
        this.rollback(session)
        return session.fail(id, 'deadlock', 'Deadlock found when trying to get lock; try restarting transaction')
      }
      return this.waitForLock(session, id, lockKey, txn.trxId, mode, startedAt, () => {
        if (session.txn === txn) this.inTransaction(session, id, statement, txn, startedAt)
      })
    }
    if (mode !== null) locks.acquire(lockKey, txn.trxId, mode)
    const own = txn.writes.get(lockKey)
    if (statement.kind === 'select') {
      return session.reply(id, {
        kind: 'row',
        value: (own ? own.value : engine.get(statement.table, statement.key)) ?? null,
      })
    }
    const write = this.rowWrite(statement, own)
    if (typeof write === 'string') return session.fail(id, write)
    if (write === null) return session.reply(id, { kind: 'written', affectedRows: 0 })
    txn.writes.set(lockKey, write)
    session.reply(id, { kind: 'written', affectedRows: 1 })
  }

  private commit(session: ExecutorSession, id: number): void {
    const txn = session.txn
    if (txn === null || txn.committing) return session.reply(id, { kind: 'done' })
    if (txn.writes.size === 0) {
      this.rollback(session)
      return session.reply(id, { kind: 'done' })
    }
    txn.committing = true
    this.host.commitLocal([...txn.writes.values()], txn.trxId, session.id, (outcome) => {
      if (session.txn === txn) session.txn = null
      if (outcome === 'killed') return this.killedWhileWaiting(session, id)
      session.reply(id, { kind: 'done' })
    })
  }

  private rollback(session: ExecutorSession): void {
    const txn = session.txn
    if (txn === null || txn.committing) return
    session.txn = null
    this.host.locks.releaseAll(txn.trxId)
  }

  // ---- shared steps ------------------------------------------------------------------------------------------

  /**
   * Waits for the row's lock up to the lock wait timeout (error 1205, which ends the statement, not the transaction),
   * then runs `retry`, which checks the lock again.
   */
  private waitForLock(
    session: ExecutorSession,
    id: number,
    lockKey: string,
    trxId: number | null,
    mode: LockMode,
    startedAt: number,
    retry: () => void,
  ): void {
    const { locks } = this.host
    const remaining = this.host.lockWaitTimeoutNs() - (this.host.now() - startedAt)
    if (remaining <= 0) return session.fail(id, 'lock-wait-timeout')
    let settled = false
    const timer = this.host.setTimer(remaining, () => {
      if (settled) return
      settled = true
      if (trxId !== null) locks.stopWaiting(trxId)
      session.fail(id, 'lock-wait-timeout')
    })
    locks.wait(
      lockKey,
      this.host.guard(() => {
        if (settled) return
        settled = true
        this.host.clearTimer(timer)
        if (trxId !== null) locks.stopWaiting(trxId)
        retry()
      }),
      trxId === null ? undefined : { trxId, mode },
    )
  }

  /**
   * The row a write statement leaves, given the transaction's own earlier write of it (undefined: none, so the
   * committed row counts); null when it changes nothing (a cas that does not match), or the error it ends with.
   */
  private rowWrite(statement: WriteStatement, own: RowWrite | undefined): RowWrite | null | 'duplicate-key' {
    const exists = own !== undefined || this.host.engine.has(statement.table, statement.key)
    const current = own !== undefined ? own.value : this.host.engine.get(statement.table, statement.key)
    switch (statement.kind) {
      case 'insert':
        return exists ? 'duplicate-key' : rowOf(statement, statement.value)
      case 'upsert':
        return rowOf(statement, statement.value)
      case 'cas':
        return exists && sameValue(current, statement.expected) ? rowOf(statement, statement.value) : null
      case 'append':
        return rowOf(statement, [...(Array.isArray(current) ? current : []), statement.value])
    }
  }

  private killedWhileWaiting(session: ExecutorSession, id: number): void {
    session.fail(id, 'killed', 'Connection was killed while waiting for semi-sync ACK')
    session.drop()
  }
}

/** A range read inside a transaction sees its own writes of rows that were committed before (new rows are not added). */
function overlayOwnWrites(
  rows: { keys: string[]; values: unknown[] },
  txn: Transaction,
  table: string,
): { keys: string[]; values: unknown[] } {
  for (const write of txn.writes.values()) {
    if (write.table !== table) continue
    const at = rows.keys.indexOf(write.key)
    if (at >= 0) rows.values[at] = write.value
  }
  return rows
}

/** The row a write statement leaves holding `value`. */
function rowOf(statement: WriteStatement, value: unknown): RowWrite {
  return { table: statement.table, key: statement.key, value }
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}
