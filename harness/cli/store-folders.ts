import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'

/**
 * The store folders a `report --index`/`--summary` names, each once (a shell glob can repeat one); a path that is no
 * folder is bad input naming the command, so a typo in a CI step fails there instead of publishing an empty site.
 */
export function storeFolders(paths: readonly string[], command: string): string[] {
  if (paths.length === 0) throw new ConfigError(command, 'name at least one store folder')
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      throw new ConfigError(command, `${path} is not a folder (a store: <store>/<test>/<run>/)`)
    }
  }
  const seen = new Set<string>()
  return paths.filter((path) => !seen.has(resolve(path)) && seen.add(resolve(path)))
}
