import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { readRecords, recordPath, runDirInStore } from './store-records.js'
import type { MatrixRow } from '../report/matrix-row.js'

/** What `matrix` leaves in the store (`<store>/matrices/<system>-<time>.json`) for the results site's matrix page. */
export interface MatrixRecord {
  /** `sim`, `mariadb`, `mysql`, or the system with its image for containers. */
  system: string
  startedAt: string
  wallSeconds: number
  /** `i/n` when the matrix ran one shard of its rows (`--shard`); absent or null for the whole matrix. */
  shard?: string | null
  /** The rows, their run folders relative to the store. */
  rows: MatrixRow[]
}

const MATRICES = 'matrices'

/** Writes a matrix's rows into the store, run folders made relative so that the store can move. */
export function writeMatrixRecord(storeDir: string, record: MatrixRecord): string {
  const path = recordPath(storeDir, MATRICES, record)
  mkdirSync(dirname(path), { recursive: true })
  const rows = record.rows.map((row) => ({
    ...row,
    runDir: row.runDir === null ? null : runDirInStore(storeDir, row.runDir),
  }))
  writeFileSync(path, `${JSON.stringify({ ...record, rows }, null, 2)}\n`)
  return path
}

/** Every matrix record of a store, oldest first; files that are not records are skipped. */
export function readMatrixRecords(storeDir: string): MatrixRecord[] {
  return readRecords<MatrixRecord>(
    storeDir,
    MATRICES,
    (r) => typeof r.system === 'string' && Array.isArray(r.rows) && typeof r.startedAt === 'string',
  ).map(({ file: _file, ...record }) => record)
}
