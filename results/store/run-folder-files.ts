import { readFileSync } from 'node:fs'
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
