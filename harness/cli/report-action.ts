import { ConfigError } from '../../core/errors/config-error.js'
import { indexCommand, reportCommand } from './report-command.js'
import { summaryCommand } from './summary-command.js'

export interface ReportFlags {
  index?: boolean
  summary?: boolean
  out?: string
  baseUrl?: string
}

/**
 * `semisync-chaos report`: one run folder's report.html, or with `--index` a site of stores, or with `--summary` their
 * Markdown summary. Flags that belong to another form are refused, naming the flag, rather than ignored.
 */
export async function reportAction(paths: readonly string[], flags: ReportFlags): Promise<number> {
  if (flags.index && flags.summary) {
    throw new ConfigError('--summary', 'choose --index (write the pages) or --summary (print Markdown), not both')
  }
  if (flags.baseUrl !== undefined && !flags.summary) {
    throw new ConfigError('--base-url', 'links the rows of --summary to the published site: use it with --summary')
  }
  if (flags.summary) return summaryCommand(paths, flags)
  if (flags.index) return indexCommand(paths, flags.out === undefined ? {} : { out: flags.out })
  if (flags.out !== undefined) {
    throw new ConfigError('--out', 'names the site folder of --index or --summary; report <run-folder> writes into it')
  }
  const [runDir, ...more] = paths
  if (runDir === undefined || more.length > 0) {
    throw new ConfigError('report', `one run folder at a time (got ${paths.length}); several stores take --index`)
  }
  return reportCommand(runDir)
}
