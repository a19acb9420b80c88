import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { readRecords, recordPath } from './store-records.js'
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
   * Each draw's judged row, in draw order; `scenario` is a catalogue name or `random-safe` (then `testCase` holds the
   * test drawn, with its space, as the run folder's test-case.json does); run folders relative to the store
   * (`runDirInStore`).
   */
  rows: Array<MatrixRow & { draw: number; testCase?: Record<string, unknown> }>
}

const CAMPAIGNS = 'campaigns'

/** Writes (replaces) a campaign's record atomically; its rows already name their run folders relative to the store. */
export function writeCampaignRecord(storeDir: string, record: CampaignRecord): string {
  const path = recordPath(storeDir, CAMPAIGNS, record)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
  return path
}

/** Every campaign record of a store, oldest first; files that are not records are skipped. */
export function readCampaignRecords(storeDir: string): Array<CampaignRecord & { file: string }> {
  return readRecords<CampaignRecord>(
    storeDir,
    CAMPAIGNS,
    (r) =>
      typeof r.system === 'string' &&
      typeof r.startedAt === 'string' &&
      typeof r.seed === 'number' &&
      Array.isArray(r.rows),
  )
}
