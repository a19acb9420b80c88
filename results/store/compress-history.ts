import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  lstatSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  type Stats,
} from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { ConfigError } from '../../core/errors/config-error.js'
import { COMPRESSED_HISTORY_FILE, HISTORY_FILE } from './history-file.js'

/** What compressing one run's history did: the plain file's size and the compressed one's. */
export interface HistoryCompression {
  bytesBefore: number
  bytesAfter: number
}

/**
 * Replaces a finished run's `history.jsonl` with `history.jsonl.gz` (the same bytes, gzip-compressed). The gzip is
 * written to a temp file of this process, synced and renamed into place before the plain file goes, so a crash at any
 * point leaves a readable history (at worst both files, which readers handle). Returns null when the folder has no
 * plain history of its own (already compressed, none, or a symbolic link, which is not rewritten).
 */
export async function compressHistory(runDir: string): Promise<HistoryCompression | null> {
  const plain = join(runDir, HISTORY_FILE)
  const compressed = join(runDir, COMPRESSED_HISTORY_FILE)
  const original = regularFileStats(plain)
  if (original === null) return null
  const temp = `${compressed}.tmp-${process.pid}`
  try {
    await pipeline(createReadStream(plain), createGzip(), createWriteStream(temp, { flags: 'wx' }))
    syncPath(temp)
    utimesSync(temp, original.atime, original.mtime)
    renameSync(temp, compressed)
  } catch (error) {
    rmSync(temp, { force: true })
    // Like a store folder that cannot be created: the store is not the harness's to fix; the plain history stays.
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new ConfigError('prune', `cannot compress ${plain} (${code}); it is left as it was`)
  }
  // The rename must be on disk before the only other copy goes.
  syncPath(runDir)
  // force: a prune running beside this one may have compressed the same run.
  rmSync(plain, { force: true })
  return { bytesBefore: original.size, bytesAfter: statSync(compressed).size }
}

function regularFileStats(path: string): Stats | null {
  try {
    const stats = lstatSync(path)
    return stats.isFile() ? stats : null
  } catch {
    return null
  }
}

/** fsync a file or a folder; a filesystem that cannot sync a folder (some refuse) has nothing more to offer. */
function syncPath(path: string): void {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    fsyncSync(fd)
  } catch (error) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
