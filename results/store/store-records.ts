import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/**
 * What the store keeps beside its runs: one JSON record per matrix (`matrices/`) or campaign (`campaigns/`), its rows
 * naming their run folders relative to the store, so that the store can move or be published as it is.
 */

/** A run folder (as a run reports it: absolute, or relative to the working folder) relative to the store. */
export function runDirInStore(storeDir: string, runDir: string): string {
  return relative(storeDir, runDir).split('\\').join('/')
}

/** The file of a record in `<store>/<folder>/`: its system, start time and shard (`i/n`) make its name. */
export function recordPath(
  storeDir: string,
  folder: string,
  record: { system: string; startedAt: string; shard?: string | null },
): string {
  const slug = record.system.replace(/[^\w.-]+/g, '_')
  const shard = record.shard ? `-shard-${record.shard.replace('/', '-of-')}` : ''
  return join(storeDir, folder, `${slug}-${record.startedAt.replace(/[-:]/g, '')}${shard}.json`)
}

/** Every record in `<store>/<folder>/` that `isRecord` accepts, with its file, oldest first; other files are skipped. */
export function readRecords<T extends { startedAt: string }>(
  storeDir: string,
  folder: string,
  isRecord: (value: Partial<T>) => boolean,
): Array<T & { file: string }> {
  let files: string[]
  try {
    files = readdirSync(join(storeDir, folder)).filter((f) => f.endsWith('.json'))
  } catch {
    return []
  }
  const records: Array<T & { file: string }> = []
  for (const name of files) {
    const file = join(storeDir, folder, name)
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<T>
      if (typeof parsed === 'object' && parsed !== null && isRecord(parsed)) records.push({ ...(parsed as T), file })
    } catch {
      // Not a record: whoever reads the store shows what it can read.
    }
  }
  return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt))
}
