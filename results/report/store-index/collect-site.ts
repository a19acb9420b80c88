import { join } from 'node:path'
import { readCampaignRecords } from '../../store/campaign-record.js'
import { readMatrixRecords } from '../../store/matrix-record.js'
import type { MatrixRow } from '../matrix-row.js'
import { listCampaign, type CampaignListing, type StoreCampaign } from './campaign-listing.js'
import { collectRuns, type IndexedRun } from './collect-runs.js'
import { mergeMatrices, newestPerSystem, type MatrixColumn, type StoreMatrix } from './merge-matrices.js'
import { runtimeOfRun } from './run-runtime.js'
import { linkFromSite, siteStores, type SiteStore } from './site-stores.js'
import { systemLabeller } from './system-labels.js'

/** What a results site shows of one or more stores, every link relative to the site's folder. */
export interface Site {
  stores: SiteStore[]
  /** Every run of every store, newest first; each names its store when there are several. */
  runs: IndexedRun[]
  /** One column per system (and runtime), each the newest matrix of every store merged. */
  matrices: MatrixColumn[]
  /** Every campaign record of every store, oldest first. */
  campaigns: CampaignListing[]
}

/** Reads the stores (folders that exist: the caller checks) as a site written into `siteDir` would show them. */
export function collectSite(storeDirs: readonly string[], siteDir: string): Site {
  const stores = siteStores(storeDirs, siteDir)
  const several = stores.length > 1
  const runs = stores
    .flatMap((store) =>
      collectRuns(store.dir).map((run) => ({
        ...run,
        path: linkFromSite(store, run.path),
        ...(several ? { store: store.label } : {}),
      })),
    )
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.path.localeCompare(b.path))
  const runtimeOf = (store: SiteStore, rows: readonly MatrixRow[]): string | null => {
    const withFolder = rows.find((row) => row.runDir !== null)
    return withFolder?.runDir ? runtimeOfRun(join(store.dir, withFolder.runDir)) : null
  }
  const matrices: StoreMatrix[] = stores.flatMap((store) =>
    newestPerSystem(readMatrixRecords(store.dir)).map((record) => ({
      store,
      record,
      runtime: runtimeOf(store, record.rows),
    })),
  )
  const campaigns: StoreCampaign[] = stores.flatMap((store) =>
    readCampaignRecords(store.dir).map((record) => ({ store, record, runtime: runtimeOf(store, record.rows) })),
  )
  const labelOf = systemLabeller([
    ...matrices.map(({ record, runtime }) => ({ system: record.system, runtime })),
    ...campaigns.map(({ record, runtime }) => ({ system: record.system, runtime })),
  ])
  return {
    stores,
    runs,
    matrices: mergeMatrices(matrices, labelOf),
    campaigns: campaigns
      .map((campaign) => listCampaign(campaign, labelOf))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.store.localeCompare(b.store)),
  }
}
