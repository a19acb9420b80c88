import { lstatSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import type { StoredRun } from './store-runs.js'

const LATEST = 'latest'

/** A `latest` link to move: `link` and `target` relative to the store (`latest`, `<test>/latest`; a run's path). */
export interface LatestChange {
  link: string
  /** The run it now names, or null: the link is removed (no finished run is left for it). */
  target: string | null
}

/**
 * The `latest` links (`<store>/latest`, `<store>/<test>/latest`) that name a deleted run, each with the newest
 * remaining finished run of the store or of its test (`run` points them at a run when it ends, so a live run does not
 * qualify). Links that name anything else stay as they are.
 */
export function latestLinkChanges(
  storeDir: string,
  deleted: readonly StoredRun[],
  finishedNewestFirst: readonly StoredRun[],
): LatestChange[] {
  const deletedDirs = new Set(deleted.map((run) => resolve(run.dir)))
  const changes: LatestChange[] = []
  const consider = (link: string, candidates: readonly StoredRun[]): void => {
    const named = linkTarget(join(storeDir, link))
    if (named === null || !deletedDirs.has(named)) return
    changes.push({ link, target: candidates[0]?.path ?? null })
  }
  consider(LATEST, finishedNewestFirst)
  for (const test of new Set(deleted.map((run) => run.test))) {
    consider(`${test}/${LATEST}`, finishedNewestFirst.filter((run) => run.test === test))
  }
  return changes
}

/** Applies the changes: each link removed, then made again (relative, as `updateLatest` makes it) when it has a run. */
export function relinkLatest(storeDir: string, changes: readonly LatestChange[]): void {
  for (const change of changes) {
    const link = join(storeDir, change.link)
    try {
      unlinkSync(link)
      if (change.target !== null) symlinkSync(relative(dirname(link), join(storeDir, change.target)), link)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      throw new ConfigError('prune', `cannot repoint ${link} (${code})`)
    }
  }
}

/** Where a symbolic link points, resolved; null when `path` is no link. */
function linkTarget(path: string): string | null {
  try {
    if (!lstatSync(path).isSymbolicLink()) return null
    return resolve(dirname(path), readlinkSync(path))
  } catch {
    return null
  }
}
