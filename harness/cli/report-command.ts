import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import { readHistoryFile } from '../../results/history/history-reader.js'
import { renderRunReport } from '../../results/report/run-report/render-run-report.js'
import { historyFileOf } from '../../results/store/history-file.js'
import { readJsonObject, readStatusSamples } from '../../results/store/run-folder-files.js'
import { EXIT_VALID } from './exit-codes.js'
import { writeSiteIndex, type IndexFlags } from './index-command.js'

/** `semisync-chaos report <run-folder>`: writes (or rewrites) the folder's report.html from what the run recorded. */
export async function reportCommand(runDir: string): Promise<number> {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
    throw new ConfigError('report', `${runDir} is not a run folder (store/<test>/<run>)`)
  }
  const file = (name: string): string => join(runDir, name)
  const historyPath = historyFileOf(runDir)
  if (historyPath === null) throw new ConfigError('report', `${runDir} has no history.jsonl (nor history.jsonl.gz)`)
  const html = renderRunReport({
    test: existsSync(file('test.json')) ? readJsonObject(file('test.json'), 'report', "a run's test.json") : {},
    results: existsSync(file('results.json'))
      ? readJsonObject(file('results.json'), 'report', "a run's results.json")
      : { valid: 'unknown', reason: 'the run left no results.json' },
    history: await readHistoryFile(historyPath),
    samples: existsSync(file('status.jsonl')) ? readStatusSamples(file('status.jsonl'), 'report') : [],
    runDir,
  })
  writeFileSync(file('report.html'), html)
  process.stdout.write(`${file('report.html')}\n`)
  return EXIT_VALID
}

/** `semisync-chaos report --index <store...> [--out <dir>]`: the site's pages (index-command.ts). */
export async function indexCommand(storeDirs: string | readonly string[], flags: IndexFlags = {}): Promise<number> {
  return writeSiteIndex(typeof storeDirs === 'string' ? [storeDirs] : storeDirs, flags)
}
