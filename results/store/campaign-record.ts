import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { MatrixRow } from '../report/matrix-row.js'

/**
 * What `campaign` leaves in the store (`<store>/campaigns/<system>-<time>[-shard-i-of-n].json`), rewritten after every
 * draw so that an interrupted campaign keeps what it ran and `--resume` can go on from it.
 */
export interface CampaignRecord {
  /** `sim`, `mariadb`, `mysql`, or the system with its image for containers. */
  system: string
  startedAt: string
  /** The campaign's seed: draw k is the same for the same seed, whichever shard runs it. */
  seed: number
  timeBudgetS: number
  /** `i/n`, or null for an unsharded campaign. */
  shard: string | null
  /** Wall seconds spent so far (across resumed sessions). */
  wallSeconds: number
  /** True once the budget ran out (or the draws did); false while it runs, or when it was interrupted. */
  complete: boolean
  /** Rows judged as unexpected: a safe draw with an anomaly, a hazard not caught, an undecided verdict. */
  unexpected: number
  /**
   * Each draw's judged row, in draw order; `scenario` is a catalogue name or `random-safe` (then `config` holds what
   * was drawn: faults, interval, time limit, load); run folders relative to the store.
   */
  rows: Array<MatrixRow & { draw: number; config?: Record<string, unknown> }>
}

const CAMPAIGNS = 'campaigns'

export function campaignRecordPath(storeDir: string, record: Pick<CampaignRecord, 'system' | 'startedAt' | 'shard'>): string {
  const slug = record.system.replace(/[^\w.-]+/g, '_')
  const shard = record.shard === null ? '' : `-shard-${record.shard.replace('/', '-of-')}`
  return join(storeDir, CAMPAIGNS, `${slug}-${record.startedAt.replace(/[-:]/g, '')}${shard}.json`)
}

/** Writes (replaces) a campaign's record atomically, run folders made relative to the store. */
export function writeCampaignRecord(storeDir: string, record: CampaignRecord): string {
  const path = campaignRecordPath(storeDir, record)
  mkdirSync(join(storeDir, CAMPAIGNS), { recursive: true })
  const rows = record.rows.map((row) => ({
    ...row,
    runDir:
      row.runDir === null || !row.runDir.startsWith('/') ? row.runDir : relative(storeDir, row.runDir).split('\\').join('/'),
  }))
  writeFileSync(`${path}.tmp`, `${JSON.stringify({ ...record, rows }, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
  return path
}

/** Every campaign record of a store, oldest first; files that are not records are skipped. */
export function readCampaignRecords(storeDir: string): Array<CampaignRecord & { file: string }> {
  let files: string[]
  try {
    files = readdirSync(join(storeDir, CAMPAIGNS)).filter((f) => f.endsWith('.json'))
  } catch {
    return []
  }
  const records: Array<CampaignRecord & { file: string }> = []
  for (const file of files) {
    try {
      const parsed = JSON.parse(readFileSync(join(storeDir, CAMPAIGNS, file), 'utf8')) as Partial<CampaignRecord>
      if (
        typeof parsed.system === 'string' &&
        typeof parsed.startedAt === 'string' &&
        typeof parsed.seed === 'number' &&
        Array.isArray(parsed.rows)
      )
        records.push({ ...(parsed as CampaignRecord), file: join(storeDir, CAMPAIGNS, file) })
    } catch {
      // Not a record: whoever reads the store shows what it can read.
    }
  }
  return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt))
}
