import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

/**
 * `live.json` in a run folder while its run goes on: which process on which host writes it. Tools that delete or
 * rewrite run folders (`prune`) leave a live run alone. A run killed without a chance to clean up leaves the file
 * behind; its process is then gone, which is how it reads as finished.
 */
const LIVE_FILE = 'live.json'

export interface LiveMarker {
  pid: number
  host: string
  startedAt: string
}

export function markLive(runDir: string, now = new Date()): void {
  const marker: LiveMarker = { pid: process.pid, host: hostname(), startedAt: now.toISOString() }
  writeFileSync(join(runDir, LIVE_FILE), `${JSON.stringify(marker)}\n`)
}

export function clearLive(runDir: string): void {
  rmSync(join(runDir, LIVE_FILE), { force: true })
}

/**
 * Whether the run in `runDir` may still be going on: its marker names a process that exists on this host, or a host
 * this machine cannot check (then it is assumed live). No marker (or an unreadable one) reads as finished.
 */
export function isLive(runDir: string): boolean {
  let marker: Partial<LiveMarker>
  try {
    marker = JSON.parse(readFileSync(join(runDir, LIVE_FILE), 'utf8')) as Partial<LiveMarker>
  } catch {
    return false
  }
  if (typeof marker.pid !== 'number') return false
  if (marker.host !== hostname()) return true
  try {
    process.kill(marker.pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
