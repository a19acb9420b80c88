import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { composeCheckers } from '../../checkers/compose.js'
import { SetWorkload } from '../../workloads/set-workload.js'
import { ConfigError } from '../config/config-error.js'
import { readHistoryFile } from '../history/history-reader.js'
import { anomalyLines } from '../report/terminal-summary.js'
import { exitCodeFor } from './exit-codes.js'

/** Finds the history file and the stored test.json (if any) for a run folder or a history path. */
function locate(path: string): { historyPath: string; testJson: Record<string, unknown> | null } {
  if (!existsSync(path)) throw new ConfigError('check', `no such file or directory: ${path}`)
  const isDir = statSync(path).isDirectory()
  const historyPath = isDir ? join(path, 'history.jsonl') : path
  if (!existsSync(historyPath)) throw new ConfigError('check', `${path} has no history.jsonl`)
  const testPath = isDir ? join(path, 'test.json') : null
  return { historyPath, testJson: testPath && existsSync(testPath) ? readTestJson(testPath) : null }
}

function readTestJson(path: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError('check', `${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('check', `${path} must hold a JSON object (a run's test.json)`)
  }
  return parsed as Record<string, unknown>
}

/** `semisync-chaos check <run-dir | history.jsonl>`: re-checks a stored run or any history in the shared format. */
export async function checkCommand(path: string, flags: { json?: boolean; workload?: string }): Promise<number> {
  const { historyPath, testJson } = locate(path)
  const workloadName = flags.workload ?? (typeof testJson?.workload === 'string' ? testJson.workload : 'set')
  if (workloadName !== 'set') throw new ConfigError('--workload', `expected set, got "${workloadName}"`)
  const history = await readHistoryFile(historyPath)
  const waitPoint = typeof testJson?.waitPoint === 'string' ? testJson.waitPoint : undefined
  const result = composeCheckers(new SetWorkload(0).checkers()).check(history, waitPoint ? { waitPoint } : {})
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ history: historyPath, valid: result.valid, anomalies: result.anomalies, checkers: result.checkers })}\n`)
  } else {
    const word = result.valid === true ? 'VALID' : result.valid === false ? 'INVALID' : 'UNKNOWN'
    process.stdout.write([`${historyPath}: ${history.length} ops`, `  verdict: ${word}`, ...anomalyLines(result.anomalies)].join('\n') + '\n')
  }
  return exitCodeFor(result.valid)
}
