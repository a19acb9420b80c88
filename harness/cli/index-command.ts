import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import { collectSite } from '../../results/report/store-index/collect-site.js'
import { renderCampaignsPage } from '../../results/report/store-index/render-campaigns.js'
import { renderIndex } from '../../results/report/store-index/render-index.js'
import { renderMatrixPage } from '../../results/report/store-index/render-matrix.js'
import { EXIT_VALID } from './exit-codes.js'
import { storeFolders } from './store-folders.js'

export interface IndexFlags {
  /** The site folder to write; required with several stores. */
  out?: string
  /** Where each page written is reported (default: a line on stdout). */
  print?: (line: string) => void
}

const MATRIX_PAGE = 'matrix.html'
const CAMPAIGNS_PAGE = 'campaigns.html'

/**
 * `semisync-chaos report --index <store...> [--out <dir>]`: writes index.html (every run of every store, linking to
 * its report), matrix.html (each system's matrix, shards merged) and campaigns.html into the store, or with several
 * stores (CI shards' artifacts) into one site folder, every link relative to it.
 */
export async function writeSiteIndex(paths: readonly string[], flags: IndexFlags = {}): Promise<number> {
  const stores = storeFolders(paths, 'report --index')
  if (stores.length > 1 && flags.out === undefined) {
    throw new ConfigError(
      '--out',
      `report --index merges ${stores.length} stores into one site: name its folder (e.g. --out site for site/*)`,
    )
  }
  const siteDir = flags.out ?? (stores[0] as string)
  if (existsSync(siteDir) && !statSync(siteDir).isDirectory()) {
    throw new ConfigError('--out', `${siteDir} is a file; name the site's folder`)
  }
  mkdirSync(siteDir, { recursive: true })
  const site = collectSite(stores, siteDir)
  for (const store of site.stores.filter((s) => s.outsideSite)) {
    process.stderr.write(
      `semisync-chaos: ${store.dir} is outside ${siteDir}: its runs' links leave the site and break once it is ` +
        'published on its own\n',
    )
  }
  const where = stores.length === 1 ? (stores[0] as string) : `${siteDir} (${stores.length} stores)`
  const write = (page: string, html: string, what: string): void => {
    const path = join(siteDir, page)
    writeFileSync(path, html)
    if (flags.print) flags.print(`${path} (${what})`)
    else process.stdout.write(`${path} (${what})\n`)
  }
  write(
    'index.html',
    renderIndex(
      site.runs,
      `semisync-chaos runs in ${where}`,
      site.matrices.length > 0 ? MATRIX_PAGE : null,
      site.campaigns.length > 0 ? CAMPAIGNS_PAGE : null,
    ),
    `${site.runs.length} runs`,
  )
  if (site.matrices.length > 0) {
    const shown = site.matrices.reduce((n, column) => n + column.stores.length, 0)
    write(
      MATRIX_PAGE,
      renderMatrixPage(site.matrices, `semisync-chaos scenario matrix in ${where}`),
      `${shown} matrix runs`,
    )
  }
  if (site.campaigns.length > 0) {
    write(
      CAMPAIGNS_PAGE,
      renderCampaignsPage(site.campaigns, `semisync-chaos campaigns in ${where}`),
      `${site.campaigns.length} campaigns`,
    )
  }
  return EXIT_VALID
}
