import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, relative, dirname } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'

/** Where one run's files go: `<resultsDir>/<test>/<runId>/`. */
export interface RunFolder {
  dir: string
  runId: string
}

/** A run id from the wall clock and the seed, e.g. `20261121T131500.123Z-s42` (unique within the test's folder). */
export function newRunFolder(resultsDir: string, testName: string, seed: number, now = new Date()): RunFolder {
  const stamp = now.toISOString().replace(/[-:]/g, '')
  let runId = `${stamp}-s${seed}`
  let dir = join(resultsDir, testName, runId)
  for (let n = 2; existsSync(dir); n++) {
    runId = `${stamp}-s${seed}-${n}`
    dir = join(resultsDir, testName, runId)
  }
  try {
    mkdirSync(dir, { recursive: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new ConfigError('--results-dir', `cannot create the run folder ${dir} (${code})`)
  }
  return { dir, runId }
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)
}

/** Points `<resultsDir>/latest` and `<resultsDir>/<test>/latest` at the newest run (relative symlinks). */
export function updateLatest(resultsDir: string, testName: string, runDir: string): void {
  for (const link of [join(resultsDir, 'latest'), join(resultsDir, testName, 'latest')]) {
    try {
      rmSync(link, { force: true })
      symlinkSync(relative(dirname(link), runDir), link)
    } catch {
      // A filesystem without symlinks still has the run folder itself; latest is a convenience.
    }
  }
}
