import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { cacheDir } from './cache-dir.js'

/** How a server's fresh data directory is made, once per server binary and version. */
export interface TemplateRecipe {
  /** `mariadb`, `mysql`: the cached folder's name starts with it. */
  product: string
  /** Changes when the way the template is made changes, so a cached template of the old recipe is not reused. */
  recipe: string
  binary: string
  version: string
  /** A file or folder that exists in a finished template. */
  marker: string
  /** Fills the empty folder `dir` with a fresh data directory. */
  build(dir: string): Promise<void>
}

/**
 * A fresh data directory, made once per server version and copied for every node (seconds saved per node per run),
 * kept in the cache folder so that runs with their own temp folders share it. Its only root account is reachable
 * through the unix socket alone; each run adds its own accounts with passwords.
 */
export async function templateDatadir(recipe: TemplateRecipe): Promise<string> {
  const key = createHash('sha256')
    .update(`${recipe.recipe}\n${recipe.binary}\n${recipe.version}`)
    .digest('hex')
    .slice(0, 12)
  const dir = join(cacheDir(), `${recipe.product}-datadir-${key}`)
  mkdirSync(cacheDir(), { recursive: true })
  if (existsSync(join(dir, recipe.marker))) return dir
  const building = `${dir}.${process.pid}.tmp`
  rmSync(building, { recursive: true, force: true })
  mkdirSync(building, { recursive: true })
  try {
    await recipe.build(building)
  } catch (error) {
    rmSync(building, { recursive: true, force: true })
    throw error
  }
  // Another run may have built it meanwhile; either copy is good.
  if (existsSync(join(dir, recipe.marker))) rmSync(building, { recursive: true, force: true })
  else renameSync(building, dir)
  return dir
}

export function copyDatadir(template: string, target: string): void {
  mkdirSync(target, { recursive: true })
  cpSync(template, target, { recursive: true })
}
