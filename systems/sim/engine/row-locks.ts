/**
 * Exclusive row locks held from statement execution to engine commit. An AFTER_SYNC transaction waiting for its ack
 * still holds them, so a second writer of the same row waits, as in InnoDB.
 */
export class RowLocks {
  private readonly holders = new Map<string, number>()
  /** Each transaction's locks, so a commit releases its own without looking at anyone else's. */
  private readonly heldBy = new Map<number, string[]>()
  private readonly waiting = new Map<string, Array<() => void>>()

  isLockedByOther(lockKey: string, trxId: number): boolean {
    const holder = this.holders.get(lockKey)
    return holder !== undefined && holder !== trxId
  }

  acquire(lockKey: string, trxId: number): void {
    if (this.holders.get(lockKey) === trxId) return
    this.holders.set(lockKey, trxId)
    const held = this.heldBy.get(trxId)
    if (held) held.push(lockKey)
    else this.heldBy.set(trxId, [lockKey])
  }

  /** Calls `retry` when the lock is released. */
  wait(lockKey: string, retry: () => void): void {
    const queue = this.waiting.get(lockKey)
    if (queue) queue.push(retry)
    else this.waiting.set(lockKey, [retry])
  }

  releaseAll(trxId: number): void {
    const held = this.heldBy.get(trxId)
    if (!held) return
    this.heldBy.delete(trxId)
    for (const lockKey of held) {
      if (this.holders.get(lockKey) !== trxId) continue
      this.holders.delete(lockKey)
      const queue = this.waiting.get(lockKey)
      if (!queue) continue
      this.waiting.delete(lockKey)
      for (const retry of queue) retry()
    }
  }

  clear(): void {
    this.holders.clear()
    this.heldBy.clear()
    this.waiting.clear()
  }
}

export function rowLockKey(table: string, key: string): string {
  return `${table}\u0000${key}`
}
