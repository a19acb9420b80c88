import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_BAD_INPUT, EXIT_INVALID, EXIT_VALID } from '../../../harness/cli/exit-codes.js'
import { fakeRun, SAMPLE_HISTORY, writeHistory } from '../../results/store-kit.js'
import { runCli, tempDir } from './cli-kit.js'

const CONFIG = { db: 'sim', workload: 'set', waitPoint: 'after_sync', seed: 1 }

/** A run folder holding only history.jsonl, and the same run holding only history.jsonl.gz. */
function twinRuns(): { plainDir: string; gzipDir: string } {
  const store = tempDir()
  const plainDir = fakeRun(store, 't', '20261201T100000.000Z-s1', CONFIG, null, false)
  const gzipDir = fakeRun(store, 't', '20261201T110000.000Z-s1', CONFIG, null, false)
  writeHistory(plainDir)
  writeHistory(gzipDir, SAMPLE_HISTORY, { gzip: true })
  return { plainDir, gzipDir }
}

function truncatedGzipRun(): { dir: string; path: string } {
  const dir = fakeRun(tempDir(), 't', '20261201T100000.000Z-s1', CONFIG, null, false)
  const path = writeHistory(dir, SAMPLE_HISTORY.repeat(20), { gzip: true })
  writeFileSync(path, readFileSync(path).subarray(0, 40))
  return { dir, path }
}

describe('check and report of a run folder whose history is history.jsonl.gz', () => {
  it('check gives the same verdict and output as with history.jsonl', async () => {
    const { plainDir, gzipDir } = twinRuns()
    const plain = await runCli(['check', plainDir])
    const compressed = await runCli(['check', gzipDir])
    expect(plain.code).toBe(EXIT_INVALID)
    expect(compressed.code).toBe(plain.code)
    expect(compressed.stdout).toContain(`${join(gzipDir, 'history.jsonl.gz')}: 11 ops`)
    expect(compressed.stdout.replace(join(gzipDir, 'history.jsonl.gz'), 'H')).toBe(
      plain.stdout.replace(join(plainDir, 'history.jsonl'), 'H'),
    )

    const plainJson = JSON.parse((await runCli(['check', plainDir, '--json'])).stdout) as Record<string, unknown>
    const gzipJson = JSON.parse((await runCli(['check', gzipDir, '--json'])).stdout) as Record<string, unknown>
    expect(gzipJson.history).toBe(join(gzipDir, 'history.jsonl.gz'))
    expect({ ...gzipJson, history: null }).toEqual({ ...plainJson, history: null })
    expect(plainJson.valid).toBe(false)
  })

  it('check reads a history.jsonl.gz named directly', async () => {
    const { gzipDir } = twinRuns()
    const result = await runCli(['check', join(gzipDir, 'history.jsonl.gz'), '--json'])
    expect(result.code).toBe(EXIT_INVALID)
  })

  it('report writes the same page from history.jsonl.gz as from history.jsonl', async () => {
    const dir = fakeRun(tempDir(), 't', '20261201T100000.000Z-s1', CONFIG, { valid: false, anomalies: [] }, false)
    const plainPath = writeHistory(dir)
    expect((await runCli(['report', dir])).code).toBe(EXIT_VALID)
    const fromPlain = readFileSync(join(dir, 'report.html'), 'utf8')
    rmSync(plainPath)
    writeHistory(dir, SAMPLE_HISTORY, { gzip: true })
    rmSync(join(dir, 'report.html'))
    const result = await runCli(['report', dir])
    expect(result.code).toBe(EXIT_VALID)
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(fromPlain)
  })

  it('check and report of a truncated history.jsonl.gz are bad input (254) saying so', async () => {
    const { dir, path } = truncatedGzipRun()
    for (const argv of [
      ['check', dir],
      ['check', path],
      ['report', dir],
    ]) {
      const result = await runCli(argv)
      expect(result.code).toBe(EXIT_BAD_INPUT)
      expect(result.stderr).toContain(`${path}: cannot decompress its gzip data (unexpected end of file)`)
      expect(result.stderr).toContain('truncated or corrupt')
      expect(result.stderr).not.toMatch(/internal error/)
    }
  })

  it('a run folder with neither file is bad input naming both', async () => {
    const dir = fakeRun(tempDir(), 't', '20261201T100000.000Z-s1', CONFIG, null, false)
    for (const command of ['check', 'report']) {
      const result = await runCli([command, dir])
      expect(result.code).toBe(EXIT_BAD_INPUT)
      expect(result.stderr).toContain(`${dir} has no history.jsonl (nor history.jsonl.gz)`)
    }
  })
})
