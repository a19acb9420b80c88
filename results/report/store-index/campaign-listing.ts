import type { CampaignRecord } from '../../store/campaign-record.js'
import { linkFromSite, type SiteStore } from './site-stores.js'
import type { SystemOnRuntime } from './system-labels.js'

/** A campaign as a results site lists it: its record, named by the site, run folders relative to the site. */
export interface CampaignListing {
  /** The store it came from, by label. */
  store: string
  /** The system as the site names it (`sim`, or `sim · node 22` when several runtimes ran it). */
  system: string
  seed: number
  /** `i/n`, or null for an unsharded campaign. */
  shard: string | null
  startedAt: string
  timeBudgetS: number
  wallSeconds: number
  complete: boolean
  /** Every draw's judged row, in draw order. */
  rows: CampaignRecord['rows']
  /** The draws judged unexpected (a safe draw with an anomaly, a hazard not caught, an undecided verdict). */
  unexpected: CampaignRecord['rows']
}

/** A store's campaign record, with the runtime its runs ran on. */
export interface StoreCampaign {
  store: SiteStore
  record: CampaignRecord
  runtime: string | null
}

/** The site's listing of a store's campaign. */
export function listCampaign(
  { store, record, runtime }: StoreCampaign,
  labelOf: (entry: SystemOnRuntime) => string,
): CampaignListing {
  const rows = record.rows.map((row) => ({
    ...row,
    runDir: row.runDir === null ? null : linkFromSite(store, row.runDir),
  }))
  return {
    store: store.label,
    system: labelOf({ system: record.system, runtime }),
    seed: record.seed,
    shard: record.shard,
    startedAt: record.startedAt,
    timeBudgetS: record.timeBudgetS,
    wallSeconds: record.wallSeconds,
    complete: record.complete,
    rows,
    unexpected: rows.filter((row) => !row.pass),
  }
}

/** `20m`, `1h`, `90s`: a time budget as the `campaign --time-budget` flag writes it. */
export function budgetText(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`
  return `${seconds}s`
}
