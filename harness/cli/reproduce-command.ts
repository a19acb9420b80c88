import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import { firstDifference, type HistoryDifference } from '../../results/history/first-difference.js'
import { readHistoryText } from '../../results/history/history-reader.js'
import { historyFileOf } from '../../results/store/history-file.js'
import { readJsonObject, readStoredVerdict, type StoredVerdict } from '../../results/store/run-folder-files.js'
import { runTest } from '../run/run-test.js'
import { parseInteger } from '../config/flag-parsers.js'
import { EXIT_INVALID, EXIT_VALID } from './exit-codes.js'
import { progressOutput } from './progress-output.js'
import { storedConfig } from './test-flags.js'

export interface ReproduceFlags {
  db?: string
  attempts?: string
  resultsDir?: string
  mariadbd?: string
  mysqld?: string
  image?: string
  json?: boolean
}

interface Attempt extends StoredVerdict {
  runDir: string | null
  reproduced: boolean
}

/**
 * `semisync-chaos reproduce <run-folder | test.json>`: runs a stored test again and says whether its verdict came
 * back (the same anomaly kinds, or clean for a clean run). On the engine the same seed must give the same history,
 * byte for byte: it says so, or shows the first line that differs. On real servers timing differs, so it makes up to
 * `--attempts` runs and says how many reproduced it. Exit 0 when the verdict came back, 1 when it did not.
 */
export async function reproduceCommand(target: string, flags: ReproduceFlags): Promise<number> {
  const { folder, testJson } = storedTest(target)
  const stored = readStoredVerdict(folder, 'reproduce', 'no verdict to reproduce')
  const output = progressOutput()
  const { db, resultsDir, mariadbd, mysqld, image } = flags
  const config = storedConfig(testJson, { db, resultsDir, mariadbd, mysqld, image }, output.log)
  const storedDb = String((readJsonObject(testJson, 'reproduce', 'a test.json') as { db?: unknown }).db ?? 'sim')
  const attempts = parseInteger('--attempts', flags.attempts ?? (config.db === 'sim' ? '1' : '3'))
  if (attempts < 1 || attempts > 100) throw new ConfigError('--attempts', `expected 1 to 100, got ${attempts}`)
  const sameRun = config.db === 'sim' && storedDb === 'sim'
  if (sameRun && historyFileOf(folder) === null)
    throw new ConfigError('reproduce', `${folder} has no history.jsonl to compare the new run's with`)

  if (!flags.json) process.stdout.write(`stored verdict: ${verdictText(stored)} (${folder})\n`)
  const results: Attempt[] = []
  let difference: HistoryDifference | null | undefined
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const outcome = await runTest(config, {
      guardInterrupts: true,
      log: output.log,
      progress: (line) => output.progress(`attempt ${attempt}/${attempts} · ${line}`),
      progressIntervalMs: output.intervalMs,
    })
    output.clear()
    const verdict: StoredVerdict = {
      valid: outcome.results.valid,
      kinds: [...new Set(outcome.results.anomalies.map((a) => a.kind))].sort(),
    }
    const reproduced = sameVerdict(stored, verdict)
    results.push({ ...verdict, runDir: outcome.runDir, reproduced })
    if (!flags.json)
      process.stdout.write(
        `attempt ${attempt}/${attempts}: ${verdictText(verdict)}${reproduced ? ' — the stored verdict' : ''}${outcome.runDir ? ` (${outcome.runDir})` : ''}\n`,
      )
    if (sameRun && outcome.runDir && difference === undefined)
      difference = await historyDifference(folder, outcome.runDir)
    // The engine gives the same run for the same seed: one is enough.
    if (config.db === 'sim') break
  }
  const reproducedCount = results.filter((r) => r.reproduced).length
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ stored, attempts: results, reproduced: reproducedCount, ...(difference === undefined ? {} : { historyIdentical: difference === null, ...(difference ? { firstDifference: difference } : {}) }) }, null, 2)}\n`,
    )
  } else {
    if (difference === null) process.stdout.write('history: byte-identical to the stored one\n')
    else if (difference)
      process.stdout.write(
        `history: differs from the stored one from line ${difference.line}\n  stored: ${difference.expected ?? '(ends before)'}\n  now:    ${difference.actual ?? '(ends before)'}\n`,
      )
    process.stdout.write(`reproduced in ${reproducedCount}/${results.length} attempt(s)\n`)
  }
  return reproducedCount > 0 ? EXIT_VALID : EXIT_INVALID
}

/** The run folder and its test.json, from either. */
function storedTest(target: string): { folder: string; testJson: string } {
  if (!existsSync(target))
    throw new ConfigError('reproduce', `${target} does not exist (a run folder or its test.json)`)
  const folder = statSync(target).isDirectory() ? target : dirname(target)
  const testJson = statSync(target).isDirectory() ? join(target, 'test.json') : target
  if (!existsSync(testJson)) throw new ConfigError('reproduce', `${folder} has no test.json: not a run folder`)
  return { folder, testJson }
}

/** The same verdict: the same anomaly kinds, and for a run without anomalies the same validity. */
function sameVerdict(stored: StoredVerdict, now: StoredVerdict): boolean {
  if (stored.kinds.join() !== now.kinds.join()) return false
  return stored.kinds.length > 0 || stored.valid === now.valid
}

function verdictText(v: StoredVerdict): string {
  if (v.kinds.length > 0) return v.kinds.join(', ')
  return v.valid === true ? 'no anomaly' : v.valid === false ? 'invalid' : 'unknown'
}

async function historyDifference(storedFolder: string, newFolder: string): Promise<HistoryDifference | null> {
  const storedPath = historyFileOf(storedFolder)
  if (storedPath === null) throw new ConfigError('reproduce', `${storedFolder} has no history.jsonl to compare with`)
  return firstDifference(await readHistoryText(storedPath), readFileSync(join(newFolder, 'history.jsonl'), 'utf8'))
}
