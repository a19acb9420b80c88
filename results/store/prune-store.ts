import { lstatSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import { compressHistory } from './compress-history.js'
import { folderBytes } from './folder-bytes.js'
import { HISTORY_FILE } from './history-file.js'
import { isLive } from './live-marker.js'
import { latestLinkChanges, relinkLatest, type LatestChange } from './latest-links.js'
import { listStoreRuns, type StoredRun } from './store-runs.js'

const DAY_MS = 86_400_000

/**
 * Which runs `prune` deletes. With `keep` alone, each test keeps its `keep` newest runs; with `olderThanDays` alone,
 * runs older than that go; with both, a run goes only when it is older than that AND not among its test's `keep`
 * newest (so a test that ran rarely keeps its last runs however old). Live runs count among the newest but are never
 * deleted or compressed.
 */
export interface PrunePolicy {
  keep?: number
  olderThanDays?: number
  /** gzip the history of every finished run that is kept. */
  compress?: boolean
}

export interface PruneOutcome {
  dryRun: boolean
  /** Deleted runs (`<test>/<run-id>`) and the bytes each held. */
  deleted: Array<{ path: string; bytes: number }>
  /** Runs whose history.jsonl became history.jsonl.gz; `bytesAfter` is null in a dry run (not compressed yet). */
  compressed: Array<{ path: string; bytesBefore: number; bytesAfter: number | null }>
  /** Runs the policy would have deleted or compressed, left alone because they are live. */
  skippedLive: string[]
  /** `latest` links moved to the newest remaining finished run, or removed (`target: null`). */
  latest: LatestChange[]
  /** What deleting and compressing freed; in a dry run, what deleting would free (compression's gain is unknown). */
  bytesFreed: number
}

/** Refuses a policy that selects nothing or everything by mistake; each error names its flag. */
export function checkPrunePolicy(policy: PrunePolicy): void {
  if (policy.keep === undefined && policy.olderThanDays === undefined) {
    throw new ConfigError('--keep', 'say which runs to delete: --keep <n>, --older-than <days>, or both')
  }
  if (policy.keep !== undefined && !(Number.isSafeInteger(policy.keep) && policy.keep >= 1)) {
    throw new ConfigError('--keep', `expected a whole number of runs ≥ 1, got ${policy.keep}`)
  }
  const days = policy.olderThanDays
  if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
    throw new ConfigError('--older-than', `expected a number of days > 0, got ${days}`)
  }
}

/** The runs a policy deletes, newest first per test; `now` (ms) is when ages are measured from. */
export function runsToDelete(runs: readonly StoredRun[], policy: PrunePolicy, now: number): StoredRun[] {
  const seenPerTest = new Map<string, number>()
  const doomed: StoredRun[] = []
  for (const run of runs) {
    const newer = seenPerTest.get(run.test) ?? 0
    seenPerTest.set(run.test, newer + 1)
    const beyondKept = policy.keep === undefined || newer >= policy.keep
    const tooOld = policy.olderThanDays === undefined || now - run.startedAt > policy.olderThanDays * DAY_MS
    if (beyondKept && tooOld) doomed.push(run)
  }
  return doomed
}

/**
 * Prunes a store (`<store>/<test>/<run-id>/`): deletes the runs the policy selects, repoints or removes the `latest`
 * links that named them, removes test folders left empty, and with `compress` gzips the kept runs' histories. Never
 * touches a live run, anything that is not a run folder, or anything behind a symbolic link; matrix records are left
 * as they are. A dry run reads the store and changes nothing.
 */
export async function pruneStore(
  storeDir: string,
  policy: PrunePolicy,
  options: { dryRun?: boolean; now?: number } = {},
): Promise<PruneOutcome> {
  checkPrunePolicy(policy)
  checkStoreFolder(storeDir)
  const dryRun = options.dryRun ?? false
  const runs = listStoreRuns(storeDir)
  const doomed = new Set(runsToDelete(runs, policy, options.now ?? Date.now()))
  const outcome: PruneOutcome = { dryRun, deleted: [], compressed: [], skippedLive: [], latest: [], bytesFreed: 0 }
  const gone: StoredRun[] = []
  const live = new Set<StoredRun>()

  for (const run of runs) {
    // Asked right before acting: a marker is the only word on whether the run goes on.
    if (isLive(run.dir)) {
      live.add(run)
      if (doomed.has(run) || (policy.compress === true && hasPlainHistory(run.dir))) outcome.skippedLive.push(run.path)
      continue
    }
    if (!doomed.has(run)) continue
    const bytes = folderBytes(run.dir)
    if (!dryRun) deleteRunFolder(run)
    gone.push(run)
    outcome.deleted.push({ path: run.path, bytes })
    outcome.bytesFreed += bytes
  }

  const remaining = runs.filter((run) => !gone.includes(run))
  outcome.latest = latestLinkChanges(storeDir, gone, remaining.filter((run) => !live.has(run)))
  if (!dryRun) {
    relinkLatest(storeDir, outcome.latest)
    removeEmptyTestFolders(storeDir, gone)
  }

  if (policy.compress === true) {
    for (const run of remaining) {
      if (live.has(run) || !hasPlainHistory(run.dir)) continue
      if (dryRun) {
        const bytesBefore = lstatSync(join(run.dir, HISTORY_FILE)).size
        outcome.compressed.push({ path: run.path, bytesBefore, bytesAfter: null })
        continue
      }
      const done = await compressHistory(run.dir)
      if (done === null) continue
      outcome.compressed.push({ path: run.path, ...done })
      outcome.bytesFreed += done.bytesBefore - done.bytesAfter
    }
  }
  return outcome
}

function checkStoreFolder(storeDir: string): void {
  try {
    if (statSync(storeDir).isDirectory()) {
      readdirSync(storeDir)
      return
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new ConfigError('prune', `cannot read the store ${storeDir} (${code})`)
  }
  throw new ConfigError('prune', `${storeDir} is not a folder (a store: <store>/<test>/<run-id>/)`)
}

function hasPlainHistory(runDir: string): boolean {
  try {
    return lstatSync(join(runDir, HISTORY_FILE)).isFile()
  } catch {
    return false
  }
}

/** rm does not follow symbolic links inside the folder: a link to elsewhere goes, what it points at stays. */
function deleteRunFolder(run: StoredRun): void {
  try {
    rmSync(run.dir, { recursive: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new ConfigError('prune', `cannot delete the run folder ${run.dir} (${code})`)
  }
}

/** A test folder whose runs were all deleted goes too; rmdir refuses a folder that holds anything (a run starting). */
function removeEmptyTestFolders(storeDir: string, gone: readonly StoredRun[]): void {
  for (const test of new Set(gone.map((run) => run.test))) {
    try {
      rmdirSync(join(storeDir, test))
    } catch {
      // Not empty: other runs, or files that are no run's.
    }
  }
}
