import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readCampaignRecords, writeCampaignRecord } from '../../../results/store/campaign-record.js'
import { runCli, tempDir } from './cli-kit.js'

const dirs: string[] = []
const store = (): string => {
  const dir = tempDir('ssc-campaign-')
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('campaign on the engine', () => {
  it('runs drawn rows for its budget, keeps a complete record and an index, and exits 0 when all is as expected', async () => {
    const dir = store()
    // Given relative to the working folder, as the default `store` is: the record still names runs within the store.
    const { code, stdout, stderr } = await runCli([
      'campaign',
      '--db',
      'sim',
      '--time-budget',
      '2s',
      '--seed',
      '5',
      '--results-dir',
      relative(process.cwd(), dir),
    ])
    expect(stderr).not.toMatch(/internal error/)
    expect(code).toBe(0)
    expect(stdout).toMatch(/^(PASS|ERROR) /m)
    expect(stdout).toMatch(/draws passed/)
    const [record] = readCampaignRecords(dir)
    expect(record).toMatchObject({ system: 'sim', seed: 5, timeBudgetS: 2, shard: null, complete: true, unexpected: 0 })
    expect(record?.rows.length).toBeGreaterThan(0)
    expect(record?.rows.map((r) => r.draw)).toEqual(record?.rows.map((_, i) => i))
    for (const row of record?.rows ?? []) expect(existsSync(join(dir, row.runDir!, 'test.json'))).toBe(true)
    // A drawn test is kept, in the record and beside its run, as the value `shrink` shrinks with fast-check.
    const drawn = (record?.rows ?? []).filter((r) => r.scenario === 'random-safe')
    expect(drawn.length).toBeGreaterThan(0)
    for (const row of drawn) {
      const beside = JSON.parse(readFileSync(join(dir, row.runDir!, 'test-case.json'), 'utf8')) as unknown
      expect(beside).toEqual(row.testCase)
      expect(stdout).toContain(`seed ${row.seed}`)
    }
    expect(readFileSync(`${dir}/index.html`, 'utf8')).toContain('<html')
  }, 60_000)

  it('a shard runs only its own draws, the same ones an unsharded campaign of that seed draws there', async () => {
    const dir = store()
    const whole = store()
    await runCli(['campaign', '--time-budget', '2s', '--seed', '9', '--shard', '2/3', '--results-dir', dir])
    await runCli(['campaign', '--time-budget', '3s', '--seed', '9', '--results-dir', whole])
    const [sharded] = readCampaignRecords(dir)
    const [unsharded] = readCampaignRecords(whole)
    expect(sharded?.shard).toBe('2/3')
    expect(sharded?.rows.every((r) => r.draw % 3 === 1)).toBe(true)
    const byDraw = new Map(unsharded?.rows.map((r) => [r.draw, `${r.scenario} ${r.waitPoint} ${r.seed}`]))
    const common = (sharded?.rows ?? []).filter((r) => byDraw.has(r.draw))
    expect(common.length).toBeGreaterThan(0)
    for (const r of common) expect(`${r.scenario} ${r.waitPoint} ${r.seed}`).toBe(byDraw.get(r.draw))
  }, 60_000)

  it('--resume goes on after the last draw an interrupted campaign recorded, with its seed and its budget', async () => {
    const dir = store()
    await runCli(['campaign', '--time-budget', '2s', '--seed', '4', '--results-dir', dir])
    const [done] = readCampaignRecords(dir)
    // As an interrupted one leaves it: two draws recorded, not complete, a second of its budget spent.
    const { file: _file, ...kept } = done!
    writeCampaignRecord(dir, { ...kept, rows: kept.rows.slice(0, 2), complete: false, wallSeconds: 1, timeBudgetS: 3 })
    const { code, stderr } = await runCli(['campaign', '--resume', '--results-dir', dir])
    expect(code).toBe(0)
    expect(stderr).toMatch(/seed 4, budget 3 s: resuming after 2 draw\(s\), 1 s spent/)
    const [resumed] = readCampaignRecords(dir)
    expect(resumed?.complete).toBe(true)
    expect(resumed?.rows.slice(0, 3).map((r) => r.draw)).toEqual([0, 1, 2])
    expect(resumed?.rows[2]?.seed).toBe(done?.rows[2]?.seed)
    expect(resumed?.wallSeconds).toBeGreaterThanOrEqual(3)
  }, 60_000)

  it.each([
    [['campaign', '--db', 'sim'], /--time-budget: say how long/],
    [['campaign', '--time-budget', 'soon'], /--time-budget: expected a duration/],
    [['campaign', '--time-budget', '0s'], /--time-budget: expected a budget longer than 0 s/],
    [['campaign', '--time-budget', '1m', '--shard', '3/2'], /--shard: expected i\/n/],
    [['campaign', '--resume'], /--resume: no unfinished campaign of sim/],
    [
      ['campaign', '--db', 'sim', '--image', 'mysql:8.4', '--time-budget', '1m'],
      /--image: containers run real servers/,
    ],
  ])('%j is bad input (254) naming the flag', async (argv, message) => {
    const { code, stderr } = await runCli([...argv, '--results-dir', store()])
    expect(code).toBe(254)
    expect(stderr).toMatch(message)
  })
})

describe('matrix --shard', () => {
  it('two shards together run exactly the rows of the unsharded matrix', async () => {
    const rowsOf = async (extra: string[]): Promise<string[]> => {
      // A few scenarios of every kind of schedule: the order and the split are the same as for the whole catalogue.
      const scenarios = ['kill-primary', 'timeout-fallback', 'async-replication', 'random-overlap', 'rejoin-as-is']
      const { code, stdout } = await runCli([
        'matrix',
        '--db',
        'sim',
        '--seeds',
        '2',
        '--scenario',
        ...scenarios,
        '--json',
        '--results-dir',
        store(),
        ...extra,
      ])
      expect(code).toBe(0)
      return (JSON.parse(stdout) as Array<{ scenario: string; waitPoint: string; seed: number }>).map(
        (r) => `${r.scenario} ${r.waitPoint} ${r.seed}`,
      )
    }
    const whole = await rowsOf([])
    const first = await rowsOf(['--shard', '1/2'])
    const second = await rowsOf(['--shard', '2/2'])
    expect(first.length + second.length).toBe(whole.length)
    expect([...first, ...second].sort()).toEqual([...whole].sort())
  }, 120_000)
})
