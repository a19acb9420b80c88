import { statSync } from 'node:fs'
import { join } from 'node:path'

/** The history a run writes while it goes on (docs/history-format.md, "The file"). */
export const HISTORY_FILE = 'history.jsonl'
/** The same bytes gzip-compressed, as `prune --compress` leaves a finished run. */
export const COMPRESSED_HISTORY_FILE = 'history.jsonl.gz'

/**
 * Which history file a run folder has: `history.jsonl`, else `history.jsonl.gz`, else null. The plain file wins when
 * both are there: only a compression interrupted between its rename and its delete leaves both, holding the same
 * history, and a run still going writes the plain one.
 */
export function historyFileOf(runDir: string): string | null {
  for (const name of [HISTORY_FILE, COMPRESSED_HISTORY_FILE]) {
    const path = join(runDir, name)
    if (isFile(path)) return path
  }
  return null
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
