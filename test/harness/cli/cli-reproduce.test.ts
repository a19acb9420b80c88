import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, tempDir } from './cli-kit.js'

const dir = tempDir('ssc-reproduce-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A stored engine run that lost acknowledged writes (timeout fallback, then the primary killed). */
let stored = ''
beforeAll(async () => {
  const { code, stdout } = await runCli([
    'run',
    '--time-limit',
    '3',
    '--semi-sync-timeout',
    '200',
    '--nemesis',
    'partition-replicas,kill-primary',
    '--nemesis-interval',
    '1',
    '--seed',
    '11',
    '--results-dir',
    join(dir, 'store'),
    '--json',
  ])
  expect([0, 1]).toContain(code)
  stored = (JSON.parse(stdout) as { runDir: string }).runDir
}, 60_000)

/** A copy of the stored run with one file changed. */
function copyWith(name: string, file: string, change: (text: string) => string): string {
  const copy = join(dir, name)
  mkdirSync(copy, { recursive: true })
  for (const f of ['test.json', 'results.json', 'history.jsonl']) {
    const text = readFileSync(join(stored, f), 'utf8')
    writeFileSync(join(copy, f), f === file ? change(text) : text)
  }
  return copy
}

describe('reproduce on the engine', () => {
  it('runs the stored test again: the same verdict and a byte-identical history (exit 0)', async () => {
    const { code, stdout } = await runCli(['reproduce', stored, '--results-dir', join(dir, 'again'), '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as { reproduced: number; historyIdentical: boolean; attempts: unknown[] }
    expect(report).toMatchObject({ reproduced: 1, historyIdentical: true })
    expect(report.attempts).toHaveLength(1)
  }, 60_000)

  it('takes the test.json itself too, and says so in words', async () => {
    const { code, stdout } = await runCli(['reproduce', join(stored, 'test.json'), '--results-dir', join(dir, 'again')])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^stored verdict: /)
    expect(stdout).toMatch(/history: byte-identical to the stored one/)
    expect(stdout).toMatch(/reproduced in 1\/1 attempt\(s\)/)
  }, 60_000)

  it('shows the first line where the history differs (the verdict may still come back)', async () => {
    const copy = copyWith('tampered-history', 'history.jsonl', (text) => {
      const lines = text.split('\n')
      lines[5] = lines[5]!.replace('"time":', '"time":1')
      return lines.join('\n')
    })
    const { stdout } = await runCli(['reproduce', copy, '--results-dir', join(dir, 'again')])
    expect(stdout).toMatch(/history: differs from the stored one from line 6\n {2}stored: .*\n {2}now: {4}\{"index":5,/)
  }, 60_000)

  it('exits 1 when the stored verdict does not come back', async () => {
    const copy = copyWith('other-verdict', 'results.json', (text) => {
      const results = JSON.parse(text) as { valid: unknown; anomalies: unknown[] }
      return JSON.stringify({ ...results, valid: false, anomalies: [{ kind: 'nonlinearizable' }] })
    })
    const { code, stdout } = await runCli(['reproduce', copy, '--results-dir', join(dir, 'again')])
    expect(code).toBe(1)
    expect(stdout).toMatch(/stored verdict: nonlinearizable/)
    expect(stdout).toMatch(/reproduced in 0\/1 attempt\(s\)/)
  }, 60_000)

  it('replays a real-server run on the engine with --db sim (no history to compare)', async () => {
    const copy = copyWith('from-mariadb', 'test.json', (text) =>
      JSON.stringify({ ...(JSON.parse(text) as object), db: 'mariadb', mariadbd: '/nowhere/mariadbd' }),
    )
    const { code, stdout, stderr } = await runCli([
      'reproduce',
      copy,
      '--db',
      'sim',
      '--results-dir',
      join(dir, 'again'),
      '--json',
    ])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).not.toHaveProperty('historyIdentical')
    // A stored file never chooses a program.
    expect(stderr).toMatch(/never chooses a program/)
  }, 60_000)

  it.each([
    ['a path that does not exist', (): string => join(dir, 'nothing'), /does not exist/],
    ['a folder without test.json', (): string => dir, /has no test\.json/],
    [
      'a run without results.json',
      (): string => {
        const copy = copyWith('no-results', 'test.json', (t) => t)
        rmSync(join(copy, 'results.json'))
        return copy
      },
      /has no results\.json/,
    ],
  ])('%s is bad input (254)', async (_what, target, message) => {
    const { code, stderr } = await runCli(['reproduce', target(), '--results-dir', join(dir, 'again')])
    expect(code).toBe(254)
    expect(stderr).toMatch(message)
  })

  it('run --config accepts the run folder as well as its test.json', async () => {
    const { code, stdout } = await runCli(['run', '--config', stored, '--results-dir', join(dir, 'again'), '--json'])
    expect([0, 1]).toContain(code)
    expect(JSON.parse(stdout)).toMatchObject({ seed: 11 })
  }, 60_000)
})
