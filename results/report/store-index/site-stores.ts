import { basename, relative, resolve, sep } from 'node:path'

/** One store that a results site lists: where it is, what the site calls it, and how the site's links reach it. */
export interface SiteStore {
  dir: string
  /** The store's folder relative to the site (`engine-node22-shard-1`), or its own name when it is the site. */
  label: string
  /** What turns a path relative to the store into one relative to the site: `engine-node22-shard-1/`, or ''. */
  linkPrefix: string
  /** The store is not inside the site folder: its links leave the site, so they break once the site is published. */
  outsideSite: boolean
}

const posix = (path: string): string => path.split(sep).join('/')

/** The stores of a site written into `siteDir`, in the order given. */
export function siteStores(storeDirs: readonly string[], siteDir: string): SiteStore[] {
  const site = resolve(siteDir)
  return storeDirs.map((dir) => {
    const fromSite = posix(relative(site, resolve(dir)))
    return {
      dir,
      label: fromSite === '' ? basename(site) : fromSite,
      linkPrefix: fromSite === '' ? '' : `${fromSite}/`,
      outsideSite: fromSite === '..' || fromSite.startsWith('../') || /^[A-Za-z]:/.test(fromSite),
    }
  })
}

/** A path relative to a store (a run folder) as the site links it. */
export function linkFromSite(store: SiteStore, pathInStore: string): string {
  return `${store.linkPrefix}${pathInStore}`
}

/** The deepest folder holding every one of `dirs` (`site` for `site/a` and `site/b`; the folder itself for one). */
export function commonFolder(dirs: readonly string[]): string {
  const split = dirs.map((dir) => resolve(dir).split(sep))
  const first = split[0] ?? [resolve('.')]
  let depth = first.length
  for (const parts of split) {
    let same = 0
    while (same < Math.min(depth, parts.length) && parts[same] === first[same]) same++
    depth = same
  }
  return first.slice(0, depth).join(sep) || sep
}
