import type { RowWrite } from './statement.js'

/** Rows are bucketed by their key minus its last three characters, so a prefix read touches only its buckets. */
const BUCKET_SUFFIX = 3

function bucketOf(key: string): string {
  return key.slice(0, Math.max(0, key.length - BUCKET_SUFFIX))
}

/**
 * The storage engine's committed rows (InnoDB with `innodb_flush_log_at_trx_commit=1`: a commit is durable). Only
 * committed rows are visible to other sessions.
 */
export class StorageEngine {
  private readonly tables = new Map<string, Map<string, unknown>>()
  private readonly buckets = new Map<string, Map<string, Map<string, unknown>>>()

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

  /** Rows whose key starts with `prefix`, found through the buckets that can hold such keys. */
  rowsWithPrefix(table: string, prefix: string): Array<{ key: string; value: unknown }> {
    const out: Array<{ key: string; value: unknown }> = []
    for (const [bucket, rows] of this.buckets.get(table) ?? []) {
      if (bucket.startsWith(prefix)) {
        for (const [key, value] of rows) out.push({ key, value }) // every key in it has the prefix
      } else if (prefix.startsWith(bucket)) {
        for (const [key, value] of rows) if (key.startsWith(prefix)) out.push({ key, value })
      }
    }
    return out
  }

  apply(writes: readonly RowWrite[]): void {
    for (const write of writes) {
      let rows = this.tables.get(write.table)
      let buckets = this.buckets.get(write.table)
      if (!rows || !buckets) {
        rows = new Map()
        buckets = new Map()
        this.tables.set(write.table, rows)
        this.buckets.set(write.table, buckets)
      }
      rows.set(write.key, write.value)
      const name = bucketOf(write.key)
      let bucket = buckets.get(name)
      if (!bucket) {
        bucket = new Map()
        buckets.set(name, bucket)
      }
      bucket.set(write.key, write.value)
    }
  }
}
