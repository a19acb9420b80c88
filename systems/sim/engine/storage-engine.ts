import type { RowWrite } from './row-write.js'

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
  /** Per table: the one length every key has, or null once lengths differ (then prefix reads scan buckets). */
  private readonly keyLength = new Map<string, number | null>()

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

  /** Every row of a table, as parallel key and value arrays. */
  allRows(table: string): { keys: string[]; values: unknown[] } {
    const rows = this.tables.get(table)
    return { keys: rows ? [...rows.keys()] : [], values: rows ? [...rows.values()] : [] }
  }

  /** Rows whose key starts with `prefix`, found through the buckets that can hold such keys. */
  rowsWithPrefix(table: string, prefix: string): { keys: string[]; values: unknown[] } {
    const width = this.keyLength.get(table)
    if (width !== undefined && width !== null && prefix.length === Math.max(0, width - BUCKET_SUFFIX)) {
      // Fixed-width keys: the prefix names exactly one bucket.
      const bucket = this.buckets.get(table)?.get(prefix)
      return { keys: bucket ? [...bucket.keys()] : [], values: bucket ? [...bucket.values()] : [] }
    }
    const keys: string[] = []
    const values: unknown[] = []
    for (const [bucket, rows] of this.buckets.get(table) ?? []) {
      if (!bucket.startsWith(prefix) && !prefix.startsWith(bucket)) continue
      for (const [key, value] of rows) {
        if (!key.startsWith(prefix)) continue
        keys.push(key)
        values.push(value)
      }
    }
    return { keys, values }
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
      const width = this.keyLength.get(write.table)
      if (width === undefined) this.keyLength.set(write.table, write.key.length)
      else if (width !== null && width !== write.key.length) this.keyLength.set(write.table, null)
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
