import { existsSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { composeCheckers } from '../../checkers/compose.js'
import type { Checker } from '../../checkers/checker.js'
import type { StatusSample } from '../../core/semisync/status-sample.js'
import { checkLinearizable, MODEL_NAMES } from '../../checkers/linearizability/index.js'
import { renderLinearizabilityHtml } from '../../results/report/linearizability/render-html.js'
import { loadWorkload } from '../run/load-workload.js'
import { workloadCheckers } from '../run/workload-checkers.js'
import { WORKLOAD_NAMES } from '../../workloads/workload-names.js'
import { DEFAULT_ISOLATION_LEVEL, ISOLATION_LEVELS } from '../../core/sql/statement.js'
import type { Op } from '../../core/history/op.js'
import { parseChoice } from '../config/flag-parsers.js'
import { ConfigError } from '../../core/errors/config-error.js'
import { HistoryFormatError } from '../../core/history/history-format-error.js'
import { readHistoryFile, withLineNumber } from '../../results/history/history-reader.js'
import { readJsonObject, readStatusSamples } from '../../results/store/run-folder-files.js'
import { historyFileOf } from '../../results/store/history-file.js'
import { anomalyLines, verdictLine } from '../../results/report/terminal-summary.js'
import { exitCodeFor } from './exit-codes.js'

/**
 * Finds the history file (plain or gzip-compressed) and the stored test.json (if any) for a run folder or a history
 * path.
 */
function locate(path: string): {
  historyPath: string
  testJson: Record<string, unknown> | null
  statusPath: string | null
} {
  if (!existsSync(path)) throw new ConfigError('check', `no such file or directory: ${path}`)
  const isDir = statSync(path).isDirectory()
  const historyPath = isDir ? historyFileOf(path) : path
  if (historyPath === null) throw new ConfigError('check', `${path} has no history.jsonl (nor history.jsonl.gz)`)
  const testPath = isDir ? join(path, 'test.json') : null
  const statusPath = isDir && existsSync(join(path, 'status.jsonl')) ? join(path, 'status.jsonl') : null
  return {
    historyPath,
    testJson: testPath && existsSync(testPath) ? readJsonObject(testPath, 'check', "a run's test.json") : null,
    statusPath,
  }
}

export interface CheckFlags {
  json?: boolean
  workload?: string
  checker?: string
  model?: string
  html?: string
  isolation?: string
}

/**
 * The workload's checkers, and with a run's status record (its primary ran semi-sync) the semi-sync status checker,
 * as the run itself had them.
 */
async function runCheckers(
  name: string,
  status: StatusSample[] | null,
  testJson: Record<string, unknown> | null,
): Promise<Checker[]> {
  const isolation = parseChoice(
    'isolation in test.json',
    String(testJson?.isolation ?? DEFAULT_ISOLATION_LEVEL),
    ISOLATION_LEVELS,
  )
  const workload = await loadWorkload(parseChoice('--workload', name, WORKLOAD_NAMES), {
    readFraction: 0,
    opsPerKey: 1,
    isolation,
  })
  return workloadCheckers(workload, status === null ? null : { samples: status, flavor: testJson?.flavor })
}

/**
 * The elle checker alone, at the level asked for: the flag, else the run's own (test.json), else serializable, the
 * strongest level the workload runs at.
 */
async function elleChecker(isolation: unknown): Promise<Checker> {
  const { ElleChecker, parseIsolationLevel } = await import('../../checkers/elle/index.js')
  return new ElleChecker(
    isolation === undefined ? {} : { isolation: parseIsolationLevel(String(isolation), '--isolation') },
  )
}

/** Writes the --html explanation; a folder that does not exist or cannot be written is bad input. */
function writeExplanation(path: string, html: string): void {
  const folder = dirname(resolve(path))
  if (!existsSync(folder)) throw new ConfigError('--html', `the folder ${folder} does not exist`)
  try {
    writeFileSync(path, html)
  } catch (error) {
    throw new ConfigError('--html', `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
}

/** `check --checker linearizable`: the linearizability check alone, with its explanation. */
async function checkLinearizability(historyPath: string, history: readonly Op[], flags: CheckFlags): Promise<number> {
  const model = parseChoice('--model', flags.model ?? 'register', MODEL_NAMES)
  if (flags.html && !existsSync(dirname(resolve(flags.html)))) {
    throw new ConfigError('--html', `the folder ${dirname(resolve(flags.html))} does not exist`)
  }
  const result = checkLinearizable(
    history.filter((op) => op.final !== true),
    { model },
  )
  if (flags.html) writeExplanation(flags.html, renderLinearizabilityHtml(result, history))
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ history: historyPath, ...result })}\n`)
  } else {
    const word = result.valid === true ? 'LINEARIZABLE' : result.valid === false ? 'NOT LINEARIZABLE' : 'UNKNOWN'
    const k = result.keys
    const lines = [
      `${historyPath}: ${history.length} ops, model ${model}, ${k.total} key(s): ${k.linearizable} linearizable, ${k.nonlinearizable} not, ${k.unknown} unknown`,
      `  verdict: ${word}${result.reason ? ` (${result.reason})` : ''}`,
      ...result.failures.map((f) => `  ${f.message}`),
    ]
    if (flags.html) lines.push(`  explanation: ${flags.html}`)
    process.stdout.write(`${lines.join('\n')}\n`)
  }
  return exitCodeFor(result.valid)
}

/** `semisync-chaos check <run-dir | history.jsonl>`: re-checks a stored run or any history in the shared format. */
export async function checkCommand(path: string, flags: CheckFlags): Promise<number> {
  try {
    return await checkPath(path, flags)
  } catch (error) {
    // A checker that found a malformed op names its index; the user wants the line.
    if (error instanceof HistoryFormatError && error.file === undefined) {
      throw await withLineNumber(error, locate(path).historyPath)
    }
    throw error
  }
}

async function checkPath(path: string, flags: CheckFlags): Promise<number> {
  const { historyPath, testJson, statusPath } = locate(path)
  if (flags.checker !== undefined && flags.checker !== 'linearizable' && flags.checker !== 'elle') {
    throw new ConfigError(
      '--checker',
      `expected linearizable or elle, got "${flags.checker}" (without --checker, the workload's checkers run)`,
    )
  }
  if (flags.isolation !== undefined && flags.checker !== 'elle') {
    throw new ConfigError('--isolation', 'goes with --checker elle (a run folder names its own level in test.json)')
  }
  const history = await readHistoryFile(historyPath)
  if (flags.checker === 'linearizable') return checkLinearizability(historyPath, history, flags)
  const workloadName = flags.workload ?? (typeof testJson?.workload === 'string' ? testJson.workload : 'set')
  const status = statusPath !== null && testJson?.semiSync !== false ? readStatusSamples(statusPath, 'check') : null
  const checkers =
    flags.checker === 'elle'
      ? [await elleChecker(flags.isolation ?? testJson?.isolation)]
      : await runCheckers(workloadName, status, testJson)
  const waitPoint = typeof testJson?.waitPoint === 'string' ? testJson.waitPoint : undefined
  const result = composeCheckers(checkers).check(history, waitPoint ? { waitPoint } : {})
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ history: historyPath, valid: result.valid, ...(result.reason === undefined ? {} : { reason: result.reason }), anomalies: result.anomalies, checkers: result.checkers })}\n`,
    )
  } else {
    process.stdout.write(
      [
        `${historyPath}: ${history.length} ops`,
        `  ${verdictLine(result.valid, result.reason)}`,
        ...anomalyLines(result.anomalies),
      ].join('\n') + '\n',
    )
  }
  return exitCodeFor(result.valid)
}
