/** InnoDB's two row lock modes: shared (a locking read) and exclusive (a write). */
export type LockMode = 's' | 'x'

interface RowLock {
  exclusive: number | null
  /** Made on the first shared lock: most rows are only ever written. */
  shared: Set<number> | null
}

/**
 * Row locks held from the statement that takes them to the transaction's end (its engine commit, or rollback). An
 * AFTER_SYNC transaction waiting for its ack still holds them, so a second writer of the same row waits, as in InnoDB.
 * Shared locks are what a SERIALIZABLE transaction's reads take; a writer needs the row to itself.
 */
export class RowLocks {
  private readonly rows = new Map<string, RowLock>()
  /** Each transaction's locks, so a commit releases its own without looking at anyone else's. */
  private readonly heldBy = new Map<number, string[]>()
  private readonly waiting = new Map<string, Array<() => void>>()
  /** What each waiting transaction waits for: the edges of the wait-for graph a deadlock check walks. */
  private readonly waitsFor = new Map<number, { lockKey: string; mode: LockMode }>()

  /** Whether `trxId` must wait for another transaction to take the row in `mode`. */
  conflicts(lockKey: string, trxId: number, mode: LockMode): boolean {
    // On every write's path: answered without building the list of blockers.
    const row = this.rows.get(lockKey)
    if (!row) return false
    if (row.exclusive !== null && row.exclusive !== trxId) return true
    if (mode === 's' || row.shared === null) return false
    for (const holder of row.shared) if (holder !== trxId) return true
    return false
  }

  acquire(lockKey: string, trxId: number, mode: LockMode = 'x'): void {
    let row = this.rows.get(lockKey)
    if (!row) {
      row = { exclusive: null, shared: null }
      this.rows.set(lockKey, row)
    }
    const already = row.exclusive === trxId || row.shared?.has(trxId) === true
    if (mode === 'x') row.exclusive = trxId
    else if (row.exclusive !== trxId) (row.shared ??= new Set()).add(trxId)
    if (already) return
    const held = this.heldBy.get(trxId)
    if (held) held.push(lockKey)
    else this.heldBy.set(trxId, [lockKey])
  }

  /** Calls `retry` when a lock on the row is released; `trxId` waits for it in `mode` meanwhile. */
  wait(lockKey: string, retry: () => void, waiter?: { trxId: number; mode: LockMode }): void {
    if (waiter) this.waitsFor.set(waiter.trxId, { lockKey, mode: waiter.mode })
    const queue = this.waiting.get(lockKey)
    if (queue) queue.push(retry)
    else this.waiting.set(lockKey, [retry])
  }

  /** The transaction no longer waits (it got the lock, timed out, or was rolled back). */
  stopWaiting(trxId: number): void {
    this.waitsFor.delete(trxId)
  }

  /**
   * Whether `trxId` waiting for the row in `mode` would close a cycle of waits: InnoDB's deadlock check, which rolls
   * the requesting transaction back at once (error 1213) instead of letting both wait out the lock wait timeout.
   */
  wouldDeadlock(lockKey: string, trxId: number, mode: LockMode): boolean {
    const seen = new Set<number>()
    const pending = this.blockers(lockKey, trxId, mode)
    while (pending.length > 0) {
      const blocker = pending.pop() as number
      if (blocker === trxId) return true
      if (seen.has(blocker)) continue
      seen.add(blocker)
      const next = this.waitsFor.get(blocker)
      if (next) pending.push(...this.blockers(next.lockKey, blocker, next.mode))
    }
    return false
  }

  releaseAll(trxId: number): void {
    this.waitsFor.delete(trxId)
    const held = this.heldBy.get(trxId)
    if (!held) return
    this.heldBy.delete(trxId)
    for (const lockKey of held) {
      const row = this.rows.get(lockKey)
      if (!row) continue
      if (row.exclusive === trxId) row.exclusive = null
      row.shared?.delete(trxId)
      if (row.exclusive === null && (row.shared === null || row.shared.size === 0)) this.rows.delete(lockKey)
      const queue = this.waiting.get(lockKey)
      if (!queue) continue
      this.waiting.delete(lockKey)
      for (const retry of queue) retry()
    }
  }

  clear(): void {
    this.rows.clear()
    this.heldBy.clear()
    this.waiting.clear()
    this.waitsFor.clear()
  }

  private blockers(lockKey: string, trxId: number, mode: LockMode): number[] {
    const row = this.rows.get(lockKey)
    if (!row) return []
    const found: number[] = []
    if (row.exclusive !== null && row.exclusive !== trxId) found.push(row.exclusive)
    if (mode === 'x' && row.shared !== null) for (const holder of row.shared) if (holder !== trxId) found.push(holder)
    return found
  }
}

export function rowLockKey(table: string, key: string): string {
  return `${table}\u0000${key}`
}
