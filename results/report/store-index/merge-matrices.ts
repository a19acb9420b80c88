import type { MatrixRecord } from '../../store/matrix-record.js'
import type { MatrixRow } from '../matrix-row.js'
import { linkFromSite, type SiteStore } from './site-stores.js'
import type { SystemOnRuntime } from './system-labels.js'

/** One column of a site's matrix page: a system's rows from every store that ran some of them (one matrix's shards). */
export interface MatrixColumn extends MatrixRecord {
  /** The stores its rows came from, by label, in the order given. */
  stores: string[]
}

/** A store's matrix record, with the runtime its runs ran on. */
export interface StoreMatrix {
  store: SiteStore
  record: MatrixRecord
  runtime: string | null
}

/** The newest record of each system (records oldest first, as `readMatrixRecords` gives them): what a store shows. */
export function newestPerSystem(records: readonly MatrixRecord[]): MatrixRecord[] {
  const newest = new Map<string, MatrixRecord>()
  for (const record of records) newest.set(record.system, record)
  return [...newest.values()]
}

/**
 * Merges stores' matrices into one column per system label: the shards of a matrix (the same system run on several
 * CI runners, each with part of the rows) become one matrix again. Run folders are made relative to the site. Rows
 * keep the order in which their scenario first appears, then go by seed.
 */
export function mergeMatrices(
  matrices: readonly StoreMatrix[],
  labelOf: (entry: SystemOnRuntime) => string,
): MatrixColumn[] {
  const columns = new Map<string, MatrixColumn>()
  for (const { store, record, runtime } of matrices) {
    const system = labelOf({ system: record.system, runtime })
    const rows = record.rows.map((row): MatrixRow => ({
      ...row,
      runDir: row.runDir === null ? null : linkFromSite(store, row.runDir),
    }))
    const column = columns.get(system)
    if (column === undefined) {
      const { startedAt, wallSeconds } = record
      columns.set(system, { system, startedAt, wallSeconds, rows, stores: [store.label] })
      continue
    }
    column.rows.push(...rows)
    if (!column.stores.includes(store.label)) column.stores.push(store.label)
    if (record.startedAt < column.startedAt) column.startedAt = record.startedAt
    // Shards run side by side: the matrix took as long as its longest shard.
    column.wallSeconds = Math.max(column.wallSeconds, record.wallSeconds)
  }
  return [...columns.values()].map((column) => ({ ...column, rows: inScenarioOrder(column.rows) }))
}

function inScenarioOrder(rows: readonly MatrixRow[]): MatrixRow[] {
  const firstSeen = new Map<string, number>()
  const keyOf = (row: MatrixRow): string => `${row.scenario} [${row.waitPoint}]`
  for (const row of rows) if (!firstSeen.has(keyOf(row))) firstSeen.set(keyOf(row), firstSeen.size)
  return [...rows].sort((a, b) => (firstSeen.get(keyOf(a)) ?? 0) - (firstSeen.get(keyOf(b)) ?? 0) || a.seed - b.seed)
}
