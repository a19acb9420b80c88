/**
 * Exclusive row locks held from statement execution to engine commit. An AFTER_SYNC transaction waiting for its ack
 * still holds them, so a second writer of the same row waits, as in InnoDB.
 */
export class RowLocks {
  private readonly holders = new Map<string, number>()
  private readonly waiting = new Map<string, Array<() => void>>()

  isLockedByOther(lockKey: string, trxId: number): boolean {
    const holder = this.holders.get(lockKey)
    return holder !== undefined && holder !== trxId
  }

  acquire(lockKey: string, trxId: number): void {
    this.holders.set(lockKey, trxId)
  }

  /** Calls `retry` when the lock is released. */
  wait(lockKey: string, retry: () => void): void {
    const queue = this.waiting.get(lockKey) ?? []
    queue.push(retry)
    this.waiting.set(lockKey, queue)
  }

  releaseAll(trxId: number): void {
    for (const [lockKey, holder] of [...this.holders]) {
      if (holder !== trxId) continue
      this.holders.delete(lockKey)
      const queue = this.waiting.get(lockKey)
      this.waiting.delete(lockKey)
      for (const retry of queue ?? []) retry()
    }
  }

  clear(): void {
    this.holders.clear()
    this.waiting.clear()
  }
}

export function rowLockKey(table: string, key: string): string {
  return `${table}\u0000${key}`
}
