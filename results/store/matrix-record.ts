import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
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
  const dir = join(storeDir, MATRICES)
  mkdirSync(dir, { recursive: true })
  const slug = record.system.replace(/[^\w.-]+/g, '_')
  const shard = record.shard ? `-shard-${record.shard.replace('/', '-of-')}` : ''
  const path = join(dir, `${slug}-${record.startedAt.replace(/[-:]/g, '')}${shard}.json`)
  const rows = record.rows.map((row) => ({
    ...row,
    runDir: row.runDir === null ? null : relative(storeDir, row.runDir).split('\\').join('/'),
  }))
  writeFileSync(path, `${JSON.stringify({ ...record, rows }, null, 2)}\n`)
  return path
}

/** Every matrix record of a store, oldest first; files that are not records are skipped. */
export function readMatrixRecords(storeDir: string): MatrixRecord[] {
  let files: string[]
  try {
    files = readdirSync(join(storeDir, MATRICES)).filter((f) => f.endsWith('.json'))
  } catch {
    return []
  }
  const records: MatrixRecord[] = []
  for (const file of files) {
    try {
      const parsed = JSON.parse(readFileSync(join(storeDir, MATRICES, file), 'utf8')) as Partial<MatrixRecord>
      if (typeof parsed.system === 'string' && Array.isArray(parsed.rows) && typeof parsed.startedAt === 'string')
        records.push(parsed as MatrixRecord)
    } catch {
      // Not a record: the page shows what it can read.
    }
  }
  return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt))
}
