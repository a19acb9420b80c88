import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import type { StatusSample } from '../../core/semisync/status-sample.js'

/**
 * A run's status.jsonl: one status sample per line. `command` names the command in the error (a malformed line is
 * bad input, exit 2).
 */
export function readStatusSamples(path: string, command: string): StatusSample[] {
  const samples: StatusSample[] = []
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch (error) {
        throw new ConfigError(command, `${path}:${index + 1} is not valid JSON: ${(error as Error).message}`)
      }
      const sample = parsed as Partial<StatusSample> | null
      if (typeof sample?.time !== 'number' || typeof sample.node !== 'string' || typeof sample.role !== 'string') {
        throw new ConfigError(command, `${path}:${index + 1} is not a status sample (time, node and role are needed)`)
      }
      samples.push(sample as StatusSample)
    })
  return samples
}

/** A JSON file that must hold an object (test.json, results.json); `what` says which, for the error. */
export function readJsonObject(path: string, command: string, what: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(command, `${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(command, `${path} must hold a JSON object (${what})`)
  }
  return parsed as Record<string, unknown>
}

/** A run's verdict as results.json records it: valid or not, and the anomaly kinds found (each once, sorted). */
export interface StoredVerdict {
  valid: boolean | 'unknown'
  kinds: string[]
}

/** The verdict of the run in `runDir`; a run without results.json is bad input for `command` (`why` says what for). */
export function readStoredVerdict(runDir: string, command: string, why: string): StoredVerdict {
  const path = join(runDir, 'results.json')
  if (!existsSync(path)) throw new ConfigError(command, `${runDir} has no results.json: ${why}`)
  const results = readJsonObject(path, command, "a run's results.json")
  const anomalies = Array.isArray(results.anomalies) ? (results.anomalies as Array<{ kind?: unknown }>) : []
  const valid = results.valid === true || results.valid === false ? results.valid : 'unknown'
  return { valid, kinds: [...new Set(anomalies.map((a) => String(a.kind)))].sort() }
}
