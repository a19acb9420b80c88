import type { RowWrite } from './row-write.js'

/** Rows are bucketed by their key minus its last three characters, so a prefix read touches only its buckets. */
const BUCKET_SUFFIX = 3

function bucketOf(key: string): string {
  return key.slice(0, Math.max(0, key.length - BUCKET_SUFFIX))
}

/**
 * A bucket's rows in insertion order, as parallel arrays: a prefix read copies two arrays (a flat copy, much cheaper
 * than walking a map) and reads of the set workload return a key's up to 1000 elements every time.
 */
interface Bucket {
  keys: string[]
  values: unknown[]
  /** Where each key sits in the arrays. */
  position: Map<string, number>
}

/** One table's rows, and the same rows by bucket. */
interface Table {
  rows: Map<string, unknown>
  buckets: Map<string, Bucket>
  /** The one length every key has, or null once lengths differ (then prefix reads scan buckets). */
  keyLength: number | null
}

/**
 * The storage engine's committed rows (InnoDB with `innodb_flush_log_at_trx_commit=1`: a commit is durable). Only
 * committed rows are visible to other sessions.
 */
export class StorageEngine {
  private readonly tables = new Map<string, Table>()

  get(table: string, key: string): unknown {
    return this.tables.get(table)?.rows.get(key)
  }

  has(table: string, key: string): boolean {
    return this.tables.get(table)?.rows.has(key) ?? false
  }

  rows(table: string): Array<{ key: string; value: unknown }> {
    const rows = this.tables.get(table)?.rows
    if (!rows) return []
    return [...rows].map(([key, value]) => ({ key, value }))
  }

  /** Every row of a table, as parallel key and value arrays. */
  allRows(table: string): { keys: string[]; values: unknown[] } {
    const rows = this.tables.get(table)?.rows
    return { keys: rows ? [...rows.keys()] : [], values: rows ? [...rows.values()] : [] }
  }

  /** Rows whose key starts with `prefix`, found through the buckets that can hold such keys. */
  rowsWithPrefix(table: string, prefix: string): { keys: string[]; values: unknown[] } {
    const found = this.tables.get(table)
    if (!found) return { keys: [], values: [] }
    const width = found.keyLength
    if (width !== null && prefix.length === Math.max(0, width - BUCKET_SUFFIX)) {
      // Fixed-width keys: the prefix names exactly one bucket.
      const bucket = found.buckets.get(prefix)
      return { keys: bucket ? bucket.keys.slice() : [], values: bucket ? bucket.values.slice() : [] }
    }
    const keys: string[] = []
    const values: unknown[] = []
    for (const [name, bucket] of found.buckets) {
      if (!name.startsWith(prefix) && !prefix.startsWith(name)) continue
      bucket.keys.forEach((key, i) => {
        if (!key.startsWith(prefix)) return
        keys.push(key)
        values.push(bucket.values[i])
      })
    }
    return { keys, values }
  }

  apply(writes: readonly RowWrite[]): void {
    for (const write of writes) {
      let table = this.tables.get(write.table)
      if (!table) {
        table = { rows: new Map(), buckets: new Map(), keyLength: write.key.length }
        this.tables.set(write.table, table)
      }
      table.rows.set(write.key, write.value)
      if (table.keyLength !== null && table.keyLength !== write.key.length) table.keyLength = null
      const name = bucketOf(write.key)
      const bucket = table.buckets.get(name)
      if (!bucket) {
        table.buckets.set(name, { keys: [write.key], values: [write.value], position: new Map([[write.key, 0]]) })
        continue
      }
      const at = bucket.position.get(write.key)
      if (at !== undefined) {
        bucket.values[at] = write.value
        continue
      }
      bucket.position.set(write.key, bucket.keys.length)
      bucket.keys.push(write.key)
      bucket.values.push(write.value)
    }
  }
}
