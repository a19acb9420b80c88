import { lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { runIdTime } from './run-id-time.js'

/** One run folder of a store, as tools that walk the store (prune) see it. */
export interface StoredRun {
  /** `<test>/<run-id>`: relative to the store, forward slashes. */
  path: string
  test: string
  runId: string
  /** The folder itself: `<store>/<test>/<run-id>`. */
  dir: string
  /** When it started, from its run id (ms since the epoch). */
  startedAt: number
}

/**
 * Every run folder of a store, newest first: `<store>/<test>/<run-id>/` holding a test.json, whose run id starts with
 * its UTC time. Only real folders count: a symbolic link (`latest`, or one pointing out of the store) is never
 * followed, so nothing outside the store is ever listed. Hidden entries, files, and folders that are not run folders
 * (`matrices/`, a run id without a time) are left out.
 */
export function listStoreRuns(storeDir: string): StoredRun[] {
  const runs: StoredRun[] = []
  // `latest` is never a test's name: a store copied by a tool that follows links holds it as a folder (a run's copy).
  for (const test of realFolders(storeDir).filter((name) => name !== 'latest')) {
    for (const runId of realFolders(join(storeDir, test))) {
      const dir = join(storeDir, test, runId)
      const startedAt = runIdTime(runId)
      if (startedAt === null || !isRealFile(join(dir, 'test.json'))) continue
      runs.push({ path: `${test}/${runId}`, test, runId, dir, startedAt })
    }
  }
  return runs.sort(newestFirst)
}

/** Newest first: by the time in the run id, then by the id (`…-s42-2` came after `…-s42`). */
export function newestFirst(a: StoredRun, b: StoredRun): number {
  return b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0)
}

/** The real sub-folders of `dir` (links excluded); none when it cannot be read: what is not seen is not touched. */
function realFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort()
  } catch {
    return []
  }
}

function isRealFile(path: string): boolean {
  try {
    return lstatSync(path).isFile()
  } catch {
    return false
  }
}
