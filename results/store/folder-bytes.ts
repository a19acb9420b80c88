import { lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** The bytes a folder's files take (what deleting it frees), symbolic links counted as links, never followed. */
export function folderBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    total += entry.isDirectory() ? folderBytes(path) : lstatSync(path).size
  }
  return total
}
