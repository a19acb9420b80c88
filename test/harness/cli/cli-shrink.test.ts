import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestConfig } from '../../../harness/config/test-config.js'
import type { StoredTestCase } from '../../../harness/scenarios/test-case-file.js'
import { configOfTestCase, testCaseArbitrary } from '../../../harness/scenarios/test-case.js'
import { runCli, tempDir } from './cli-kit.js'

const dir = tempDir('ssc-shrink-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A catalogue row that loses acknowledged writes on the engine: timeout-fallback (a cut longer than the timeout, then a kill). */
let failing = ''
beforeAll(async () => {
  const { code, stdout } = await runCli([
    'matrix',
    '--scenario',
    'timeout-fallback',
    '--seeds',
    '1',
    '--results-dir',
    join(dir, 'store'),
    '--json',
  ])
  expect(code).toBe(0)
  failing = (JSON.parse(stdout) as Array<{ waitPoint: string; runDir: string }>).find(
    (r) => r.waitPoint === 'after_sync',
  )!.runDir
}, 60_000)

describe('shrink on the engine', () => {
  it('makes a failing run smaller while its anomaly persists, and writes what reproduces it', async () => {
    const { code, stdout } = await runCli(['shrink', failing, '--kind', 'lost-acked-write', '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as {
      steps: Array<{ what: string; from: string; to: string }>
      out: string
      runDir: string
    }
    const original = JSON.parse(readFileSync(join(failing, 'test.json'), 'utf8')) as Record<string, number>
    const shrunk = JSON.parse(readFileSync(join(report.out, 'test.json'), 'utf8')) as Record<string, number> & {
      schedule: Array<{ atNs: number }>
    }
    expect(report.steps.map((s) => s.what)).toEqual(expect.arrayContaining(['schedule timing', 'clients']))
    expect(shrunk.timeLimitS).toBeLessThan(original.timeLimitS!)
    expect(shrunk.concurrency).toBeLessThan(original.concurrency!)
    expect(Math.max(...shrunk.schedule.map((s) => s.atNs))).toBeLessThan(5e9)
    expect(readFileSync(join(report.out, 'command.txt'), 'utf8')).toMatch(/^semisync-chaos run --config .*test\.json\n/)
    expect(readFileSync(join(report.out, 'regression.test.ts'), 'utf8')).toMatch(
      /expect\(kinds\)\.toContain\('lost-acked-write'\)/,
    )
    // The smallest test ran once more as a run of its own, which reproduce confirms byte for byte.
    const confirmed = await runCli(['reproduce', report.runDir, '--json'])
    expect(confirmed.code).toBe(0)
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ reproduced: 1, historyIdentical: true })
  }, 120_000)

  it('exits 1 when the run does not find its anomaly again', async () => {
    const copy = join(dir, 'claims-more')
    mkdirSync(copy, { recursive: true })
    for (const f of ['test.json', 'history.jsonl']) writeFileSync(join(copy, f), readFileSync(join(failing, f)))
    writeFileSync(
      join(copy, 'results.json'),
      JSON.stringify({ valid: false, anomalies: [{ kind: 'nonlinearizable' }] }),
    )
    const { code, stdout } = await runCli(['shrink', copy])
    expect(code).toBe(1)
    expect(stdout).toMatch(/did not find nonlinearizable again: there is nothing to shrink/)
    expect(existsSync(join(copy, 'shrunk'))).toBe(false)
  }, 60_000)

  it.each([
    ['a folder that is no run', (): string[] => ['shrink', dir], /is not a run folder/],
    [
      'a kind the run did not find',
      (): string[] => ['shrink', failing, '--kind', 'duplicate'],
      /--kind: the run found/,
    ],
    ['a bad --attempts', (): string[] => ['shrink', failing, '--attempts', '0'], /--attempts: expected 1 to 20/],
  ])('%s is bad input (254)', async (_what, argv, message) => {
    const { code, stderr } = await runCli(argv())
    expect(code).toBe(254)
    expect(stderr).toMatch(message)
  })
})

describe('shrink of a drawn test (explore, campaign): fast-check from the value kept beside the run', () => {
  it('shrinks within its space, keeps the anomaly, and writes the smaller value beside its test.json', async () => {
    const explored = await runCli([
      'explore',
      '--unsafe',
      '--faults',
      'kill-primary-and-replica,kill-primary',
      '--seed',
      '5',
      '--num-runs',
      '50',
      '--results-dir',
      join(dir, 'explore'),
      '--json',
    ])
    expect(explored.code).toBe(1)
    const found = JSON.parse(explored.stdout) as { runDir: string; kinds: string[] }
    const stored = JSON.parse(readFileSync(join(found.runDir, 'test-case.json'), 'utf8')) as StoredTestCase
    const { code, stdout } = await runCli(['shrink', found.runDir, '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as { method: string; target: string[]; out: string; runDir: string }
    expect(report.method).toBe('fast-check')
    expect(report.target).toEqual(found.kinds)
    const smaller = JSON.parse(readFileSync(join(report.out, 'test-case.json'), 'utf8')) as StoredTestCase
    expect(smaller.space).toEqual(stored.space)
    expect(testCaseArbitrary(smaller.space).canShrinkWithoutContext(smaller.testCase)).toBe(true)
    // The shrunk test.json is what the smaller value makes, and it is no larger than what explore found.
    const shrunk = JSON.parse(readFileSync(join(report.out, 'test.json'), 'utf8')) as TestConfig
    const made = configOfTestCase(smaller.testCase)
    expect(shrunk.schedule).toEqual(made.schedule)
    expect(shrunk).toMatchObject({ timeLimitS: made.timeLimitS, concurrency: made.concurrency, rate: made.rate })
    expect(smaller.testCase.faults.length).toBeLessThanOrEqual(stored.testCase.faults.length)
    expect(smaller.testCase.settings.timeLimitS).toBeLessThanOrEqual(stored.testCase.settings.timeLimitS)
    // Its confirming run carries the value too, and reproduce finds the same history.
    expect(existsSync(join(report.runDir, 'test-case.json'))).toBe(true)
    const confirmed = await runCli(['reproduce', report.runDir, '--json'])
    expect(confirmed.code).toBe(0)

    // A stored value that no longer shows what its run claims: nothing to shrink (exit 1), nothing written.
    const claimsMore = join(dir, 'drawn-claims-more')
    mkdirSync(claimsMore, { recursive: true })
    for (const f of ['test.json', 'history.jsonl', 'test-case.json'])
      writeFileSync(join(claimsMore, f), readFileSync(join(found.runDir, f)))
    writeFileSync(
      join(claimsMore, 'results.json'),
      JSON.stringify({ valid: false, anomalies: [{ kind: 'nonlinearizable' }] }),
    )
    const nothing = await runCli(['shrink', claimsMore])
    expect(nothing.code).toBe(1)
    expect(nothing.stdout).toMatch(/did not find nonlinearizable again: there is nothing to shrink/)
    expect(existsSync(join(claimsMore, 'shrunk'))).toBe(false)
  }, 120_000)
})
