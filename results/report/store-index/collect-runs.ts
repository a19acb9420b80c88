import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { runIdTime } from '../../store/run-id-time.js'

/** One run of a store, as the index lists it. */
export interface IndexedRun {
  /** The run folder, relative to the index page's folder (the store, or a site merging stores); forward slashes. */
  path: string
  /** The store (a CI shard's artifact, say) the run came from, when the index merges several. */
  store?: string
  test: string
  runId: string
  /** ISO time the run started, read from its run id (empty when the id does not say). */
  startedAt: string
  /** `sim (mariadb)`, `mariadb`, `mysql`, or the image for containers. */
  system: string
  mode: string
  seed: number | null
  valid: boolean | 'unknown'
  /** Anomaly kind → count. */
  anomalies: Record<string, number>
  clientOps: number | null
  wallSeconds: number | null
  hasReport: boolean
  interrupted: boolean
}

const readJson = (path: string): Record<string, unknown> | null => {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

/**
 * `latest` is never a test's or a run's name. A store that went through a copy that follows links (a CI artifact)
 * holds its `latest` links as folders: copies of runs listed anyway.
 */
const LATEST = 'latest'

const isFolder = (path: string): boolean => {
  try {
    // `latest` links point at runs listed anyway.
    return lstatSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * Every run folder of a store (`<store>/<test>/<run-id>/` holding a test.json), newest first. A folder whose
 * results.json is missing or unreadable is still listed, with an unknown verdict: the index shows what is there.
 */
export function collectRuns(storeDir: string): IndexedRun[] {
  const runs: IndexedRun[] = []
  for (const test of readdirSync(storeDir).sort()) {
    const testDir = join(storeDir, test)
    if (test === LATEST || !isFolder(testDir)) continue
    for (const runId of readdirSync(testDir).sort()) {
      const runDir = join(testDir, runId)
      if (runId === LATEST || !isFolder(runDir) || !existsSync(join(runDir, 'test.json'))) continue
      const config = readJson(join(runDir, 'test.json')) ?? {}
      const results = readJson(join(runDir, 'results.json')) ?? {}
      const anomalies: Record<string, number> = {}
      for (const a of Array.isArray(results.anomalies) ? results.anomalies : []) {
        const kind = (a as { kind?: unknown }).kind
        if (typeof kind === 'string') anomalies[kind] = (anomalies[kind] ?? 0) + 1
      }
      const figures = (results.figures ?? {}) as { clientOps?: unknown; wallSeconds?: unknown }
      const valid = results.valid === true || results.valid === false ? results.valid : 'unknown'
      runs.push({
        path: relative(storeDir, runDir).split('\\').join('/'),
        test: typeof config.name === 'string' ? config.name : test,
        runId,
        startedAt: startedAt(runId),
        system: systemOf(config),
        mode: config.semiSync === false ? 'async' : typeof config.waitPoint === 'string' ? config.waitPoint : '',
        seed: typeof config.seed === 'number' ? config.seed : null,
        valid,
        anomalies,
        clientOps: typeof figures.clientOps === 'number' ? figures.clientOps : null,
        wallSeconds: typeof figures.wallSeconds === 'number' ? figures.wallSeconds : null,
        hasReport: existsSync(join(runDir, 'report.html')),
        interrupted: results.interrupted === true,
      })
    }
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.path.localeCompare(b.path))
}

/** `20261202T015822.321Z-s7` → `2026-12-02T01:58:22.321Z` (empty when the id does not start with a time). */
function startedAt(runId: string): string {
  const time = runIdTime(runId)
  return time === null ? '' : new Date(time).toISOString()
}

function systemOf(config: Record<string, unknown>): string {
  if (config.db === 'sim') return `sim (${String(config.flavor ?? 'mariadb')})`
  if (typeof config.image === 'string') return `${String(config.db)} ${config.image}`
  return typeof config.db === 'string' ? config.db : ''
}
