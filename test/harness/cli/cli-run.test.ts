import { describe, it, expect, beforeAll } from 'vitest'
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { exitCodeFor, EXIT_INVALID, EXIT_VALID } from '../../../harness/cli/exit-codes.js'
import { DEFAULT_CONFIG } from '../../../harness/config/test-config.js'
import { validateConfig } from '../../../harness/config/validate-config.js'
import { parseHistory } from '../../../results/history/history-reader.js'
import type { Op } from '../../../core/history/op.js'
import { runCli, tempDir } from './cli-kit.js'

const RUN_FLAGS = ['--time-limit', '5', '--rate', '50', '--seed', '7']
const NEMESIS_FLAGS = ['--nemesis', 'kill-primary', '--nemesis-interval', '2']

interface RunJson {
  valid: boolean | 'unknown'
  anomalies: Record<string, number>
  runDir: string
  seed: number
}

interface CheckJson {
  history: string
  valid: boolean | 'unknown'
  anomalies: Array<{ kind: string }>
}

interface MatrixJsonRow {
  scenario: string
  waitPoint: string
  seed: number
  expected: string[]
  found: string[]
  pass: boolean
  runDir: string | null
}

interface ResultsJson {
  valid: unknown
  anomalies: Array<{ kind: string }>
}

const kindsOf = (anomalies: ReadonlyArray<{ kind: string }>): string[] =>
  [...new Set(anomalies.map((a) => a.kind))].sort()

const readResults = (runDir: string): ResultsJson =>
  JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as ResultsJson

describe('semisync-chaos run (one simulated test, end to end)', () => {
  let resultsDir: string
  let code: number
  let printed: RunJson
  let runDir: string
  let history: Op[]
  let historyText: string

  beforeAll(async () => {
    resultsDir = tempDir()
    const result = await runCli(['run', ...RUN_FLAGS, ...NEMESIS_FLAGS, '--results-dir', resultsDir, '--json'])
    code = result.code
    expect(result.stderr).toBe('')
    printed = JSON.parse(result.stdout) as RunJson
    runDir = printed.runDir
    historyText = readFileSync(join(runDir, 'history.jsonl'), 'utf8')
    history = parseHistory(historyText, 'history.jsonl')
  }, 20_000)

  it('exits with the code of the printed verdict', () => {
    expect([true, false, 'unknown']).toContain(printed.valid)
    expect(code).toBe(exitCodeFor(printed.valid))
    expect(printed.seed).toBe(7)
  })

  it('puts the run folder under <results-dir>/<name>/', () => {
    expect(realpathSync(join(runDir, '..'))).toBe(realpathSync(join(resultsDir, DEFAULT_CONFIG.name)))
    const files = [
      'history.jsonl',
      'n1.log',
      'n2.log',
      'n3.log',
      'report.html',
      'results.json',
      'status.jsonl',
      'test.json',
    ]
    expect(readdirSync(runDir).sort()).toEqual(files)
  })

  it('stores the full config, the seed and the build in test.json', () => {
    const stored = JSON.parse(readFileSync(join(runDir, 'test.json'), 'utf8')) as Record<string, unknown>
    expect(stored.seed).toBe(7)
    expect(stored.build).toHaveProperty('gitCommit')
    expect(typeof stored.runId).toBe('string')
    for (const key of Object.keys(DEFAULT_CONFIG)) expect(stored, `test.json lacks ${key}`).toHaveProperty(key)
    const { runId: _r, build: _b, argv: _a, ...config } = stored
    // The stored config is itself a valid config, and it is the one the flags described.
    expect(validateConfig(config)).toEqual({
      ...DEFAULT_CONFIG,
      timeLimitS: 5,
      rate: 50,
      seed: 7,
      nemesis: ['kill-primary'],
      nemesisIntervalS: 2,
      resultsDir,
    })
  })

  it('writes a history in the shared format with the kill, the failover and the final reads', () => {
    expect(history.length).toBeGreaterThan(100)
    const nemesis = history.filter((op) => op.process === 'nemesis')
    const kill = nemesis.find((op) => op.f === 'kill' && op.type === 'info')
    expect(kill?.value).toBe('n1')
    const failover = nemesis.find((op) => op.f === 'failover' && op.type === 'info')
    expect(failover?.value).toMatchObject({ from: 'n1', policy: 'most-advanced' })
    expect(['n2', 'n3']).toContain((failover?.value as { to: string }).to)

    const finals = history.filter((op) => op.final === true)
    const finalInvokes = finals.filter((op) => op.type === 'invoke')
    expect(finalInvokes.map((op) => op.node).sort()).toEqual(['n1', 'n2', 'n3'])
    expect(finals.filter((op) => op.type === 'ok')).toHaveLength(3)
    expect(finalInvokes.filter((op) => op.role === 'primary')).toHaveLength(1)
    // The new primary is the one the failover chose.
    expect(finalInvokes.find((op) => op.role === 'primary')?.node).toBe((failover?.value as { to: string }).to)
  })

  it('writes results.json with the printed verdict and the anomalies', () => {
    const results = readResults(runDir)
    expect(results.valid).toBe(printed.valid)
    expect(Array.isArray(results.anomalies)).toBe(true)
    const counts: Record<string, number> = {}
    for (const a of results.anomalies) counts[a.kind] = (counts[a.kind] ?? 0) + 1
    expect(counts).toEqual(printed.anomalies)
  })

  it('points <results-dir>/latest and <results-dir>/<name>/latest at the run folder', () => {
    for (const link of [join(resultsDir, 'latest'), join(resultsDir, DEFAULT_CONFIG.name, 'latest')]) {
      expect(lstatSync(link).isSymbolicLink()).toBe(true)
      expect(realpathSync(link)).toBe(realpathSync(runDir))
    }
  })

  it('check <run-dir> and check <history.jsonl> agree with results.json', async () => {
    const results = readResults(runDir)
    for (const target of [runDir, join(runDir, 'history.jsonl')]) {
      const checked = await runCli(['check', target, '--json'])
      const verdict = JSON.parse(checked.stdout) as CheckJson
      expect(verdict.valid).toBe(results.valid)
      expect(kindsOf(verdict.anomalies)).toEqual(kindsOf(results.anomalies))
      expect(checked.code).toBe(exitCodeFor(verdict.valid))
    }
  })

  it('reproduces the run byte for byte from its test.json', async () => {
    const again = tempDir()
    const result = await runCli(['run', '--config', join(runDir, 'test.json'), '--results-dir', again, '--json'])
    const reprinted = JSON.parse(result.stdout) as RunJson
    // --results-dir overrides the stored one; everything else comes from test.json.
    expect(realpathSync(reprinted.runDir).startsWith(realpathSync(again))).toBe(true)
    expect(reprinted.seed).toBe(7)
    expect(readFileSync(join(reprinted.runDir, 'history.jsonl'), 'utf8')).toBe(historyText)
    expect(result.code).toBe(code)
  })

  it('prints a human summary without --json', async () => {
    const dir = tempDir()
    const result = await runCli(['run', '--time-limit', '2', '--seed', '3', '--nemesis', 'none', '--results-dir', dir])
    expect(result.code).toBe(EXIT_VALID)
    expect(result.stdout).toMatch(/VALID/)
    expect(result.stdout).not.toMatch(/INVALID/)
  })
})

describe('semisync-chaos matrix', () => {
  it('catches the known-unsafe timeout fallback under both wait points', async () => {
    const resultsDir = tempDir()
    const argv = ['matrix', '--scenario', 'timeout-fallback', '--seeds', '1', '--json', '--results-dir', resultsDir]
    const result = await runCli(argv)
    expect(result.code).toBe(EXIT_VALID)
    const rows = JSON.parse(result.stdout) as MatrixJsonRow[]
    expect(rows.map((r) => r.waitPoint).sort()).toEqual(['after_commit', 'after_sync'])
    for (const row of rows) {
      expect(row.scenario).toBe('timeout-fallback')
      expect(row.seed).toBe(1)
      expect(row.expected).toEqual(['lost-acked-write'])
      expect(row.found).toContain('lost-acked-write')
      expect(row.pass).toBe(true)
      expect(row.runDir).not.toBeNull()
    }

    // Re-checking a stored unsafe run finds the same loss, and exits 1 (invalid).
    const runDir = rows[0]?.runDir as string
    const checked = await runCli(['check', runDir, '--json'])
    expect(checked.code).toBe(EXIT_INVALID)
    const verdict = JSON.parse(checked.stdout) as CheckJson
    const results = readResults(runDir)
    expect(verdict.valid).toBe(false)
    expect(results.valid).toBe(false)
    expect(kindsOf(verdict.anomalies)).toEqual(kindsOf(results.anomalies))
    expect(kindsOf(verdict.anomalies)).toContain('lost-acked-write')
  }, 20_000)

  it('writes a JUnit file with one passing testcase per row', async () => {
    const dir = tempDir()
    const junit = join(dir, 'reports', 'junit.xml')
    const argv = ['matrix', '--junit', junit, '--scenario', 'kill-primary', '--seeds', '1', '--results-dir', dir]
    const result = await runCli(argv)
    expect(result.code).toBe(EXIT_VALID)
    expect(result.stdout).toMatch(/2\/2 rows passed/)
    expect(existsSync(junit)).toBe(true)
    const xml = readFileSync(junit, 'utf8')
    expect(xml.startsWith('<?xml')).toBe(true)
    const cases = xml.match(/<testcase [^>]*>/g) ?? []
    expect(cases).toHaveLength(2)
    expect(cases.some((c) => c.includes('kill-primary [after_sync] seed 1'))).toBe(true)
    expect(cases.some((c) => c.includes('kill-primary [after_commit] seed 1'))).toBe(true)
    expect(xml).not.toContain('<failure')
    expect(xml).toMatch(/tests="2" failures="0"/)
  }, 20_000)
})
