import type { RowWrite } from './statement.js'

/**
 * The storage engine's committed rows (InnoDB with `innodb_flush_log_at_trx_commit=1`: a commit is durable). Only
 * committed rows are visible to other sessions.
 */
export class StorageEngine {
  private readonly tables = new Map<string, Map<string, unknown>>()

  get(table: string, key: string): unknown {
    return this.tables.get(table)?.get(key)
  }

  has(table: string, key: string): boolean {
    return this.tables.get(table)?.has(key) ?? false
  }

  rows(table: string): Array<{ key: string; value: unknown }> {
    const rows = this.tables.get(table)
    if (!rows) return []
    return [...rows].map(([key, value]) => ({ key, value }))
  }

  apply(writes: readonly RowWrite[]): void {
    for (const write of writes) {
      let rows = this.tables.get(write.table)
      if (!rows) {
        rows = new Map()
        this.tables.set(write.table, rows)
      }
      rows.set(write.key, write.value)
    }
  }

  clear(): void {
    this.tables.clear()
  }
}
