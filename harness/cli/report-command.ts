import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import { readHistoryFile } from '../../results/history/history-reader.js'
import { renderRunReport } from '../../results/report/run-report/render-run-report.js'
import { collectRuns } from '../../results/report/store-index/collect-runs.js'
import { renderIndex } from '../../results/report/store-index/render-index.js'
import { renderMatrixPage } from '../../results/report/store-index/render-matrix.js'
import { readMatrixRecords } from '../../results/store/matrix-record.js'
import { readJsonObject, readStatusSamples } from '../../results/store/run-folder-files.js'
import { EXIT_VALID } from './exit-codes.js'

/** `semisync-chaos report <run-folder>`: writes (or rewrites) the folder's report.html from what the run recorded. */
export async function reportCommand(runDir: string): Promise<number> {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
    throw new ConfigError('report', `${runDir} is not a run folder (store/<test>/<run>)`)
  }
  const file = (name: string): string => join(runDir, name)
  if (!existsSync(file('history.jsonl'))) throw new ConfigError('report', `${runDir} has no history.jsonl`)
  const html = renderRunReport({
    test: existsSync(file('test.json')) ? readJsonObject(file('test.json'), 'report', "a run's test.json") : {},
    results: existsSync(file('results.json'))
      ? readJsonObject(file('results.json'), 'report', "a run's results.json")
      : { valid: 'unknown', reason: 'the run left no results.json' },
    history: await readHistoryFile(file('history.jsonl')),
    samples: existsSync(file('status.jsonl')) ? readStatusSamples(file('status.jsonl'), 'report') : [],
    runDir,
  })
  writeFileSync(file('report.html'), html)
  process.stdout.write(`${file('report.html')}\n`)
  return EXIT_VALID
}

/** `semisync-chaos report --index <store>`: writes the store's index.html, every run linking to its report. */
export async function indexCommand(storeDir: string): Promise<number> {
  if (!existsSync(storeDir) || !statSync(storeDir).isDirectory()) {
    throw new ConfigError('report --index', `${storeDir} is not a folder (a store: <store>/<test>/<run>/)`)
  }
  const runs = collectRuns(storeDir)
  const matrices = readMatrixRecords(storeDir)
  const path = join(storeDir, 'index.html')
  writeFileSync(
    path,
    renderIndex(runs, `semisync-chaos runs in ${storeDir}`, matrices.length > 0 ? 'matrix.html' : null),
  )
  process.stdout.write(`${path} (${runs.length} runs)\n`)
  if (matrices.length > 0) {
    const matrixPath = join(storeDir, 'matrix.html')
    writeFileSync(matrixPath, renderMatrixPage(matrices, `semisync-chaos scenario matrix in ${storeDir}`))
    process.stdout.write(`${matrixPath} (${matrices.length} matrix runs)\n`)
  }
  return EXIT_VALID
}
