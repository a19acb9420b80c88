import { ConfigError } from '../../core/errors/config-error.js'
import { collectSite } from '../../results/report/store-index/collect-site.js'
import { commonFolder } from '../../results/report/store-index/site-stores.js'
import { renderSummaryMarkdown } from '../../results/report/summary-markdown.js'
import { EXIT_VALID } from './exit-codes.js'
import { storeFolders } from './store-folders.js'

export interface SummaryFlags {
  /** The published site (`report --index … --out` folder, as served): rows link to their reports there. */
  baseUrl?: string
  /** The site folder the links are relative to; default: the store, or the stores' common parent folder. */
  out?: string
}

/**
 * `semisync-chaos report --summary <store...>`: prints Markdown for a CI job summary (`>> $GITHUB_STEP_SUMMARY`):
 * each system's matrix rows and campaigns, failures first, and the counts. Always exits 0: the commands that ran the
 * rows fail their jobs themselves.
 */
export async function summaryCommand(paths: readonly string[], flags: SummaryFlags = {}): Promise<number> {
  const stores = storeFolders(paths, 'report --summary')
  if (flags.baseUrl !== undefined && !isWebUrl(flags.baseUrl)) {
    throw new ConfigError('--base-url', `expected the published site's http(s) URL, got "${flags.baseUrl}"`)
  }
  const site = collectSite(stores, flags.out ?? commonFolder(stores))
  process.stdout.write(renderSummaryMarkdown(site, flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }))
  return EXIT_VALID
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
