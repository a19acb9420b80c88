import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IndexedRun } from '../../results/report/store-index/collect-runs.js'
import { collectSite } from '../../results/report/store-index/collect-site.js'
import { writeCampaignRecord } from '../../results/store/campaign-record.js'
import { writeMatrixRecord } from '../../results/store/matrix-record.js'
import { runDirInStore } from '../../results/store/store-records.js'
import { runCli, tempDir } from '../harness/cli/cli-kit.js'
import { fakeRow, fakeRun } from './store-kit.js'

/** The runs an index page carries as data. */
const indexData = (html: string): IndexedRun[] =>
  JSON.parse(
    /<script type="application\/json" id="index-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null',
  ) as IndexedRun[]

const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string)

/** A store as a CI shard leaves it: runs of the engine on one Node version, and that shard's matrix record. */
function shardStore(
  dir: string,
  node: string,
  rows: Array<{ scenario: string; seed: number; pass?: boolean }>,
  startedAt = '2026-12-01T02:00:00.000Z',
): void {
  for (const [i, { scenario, seed }] of rows.entries()) {
    fakeRun(
      dir,
      scenario,
      `20261201T02${String(i).padStart(2, '0')}00.000Z-s${seed}`,
      { db: 'sim', flavor: 'mariadb', waitPoint: 'after_sync', seed, build: { node } },
      { valid: true, anomalies: [] },
    )
  }
  writeMatrixRecord(dir, {
    system: 'sim',
    startedAt,
    wallSeconds: 10,
    rows: rows.map(({ scenario, seed, pass = true }, i) =>
      fakeRow(scenario, seed, {
        pass,
        ...(pass ? {} : { found: ['lost-acked-write'], reason: 'found lost-acked-write' }),
        runDir: join(dir, scenario, `20261201T02${String(i).padStart(2, '0')}00.000Z-s${seed}`),
      }),
    ),
  })
}

describe('report --index over several stores (CI shards merged into one site)', () => {
  it('lists every run of both stores, each linking to its report relative to the site, with the store it came from', async () => {
    const site = tempDir()
    const one = join(site, 'engine-1')
    const two = join(site, 'engine-2')
    fakeRun(one, 'kill-primary', '20261201T100000.000Z-s1', { db: 'sim', seed: 1 }, { valid: true, anomalies: [] })
    fakeRun(two, 'kill-primary', '20261201T100000.000Z-s1', { db: 'sim', seed: 1 }, { valid: true, anomalies: [] })
    fakeRun(
      two,
      'timeout-fallback',
      '20261201T110000.000Z-s2',
      { db: 'sim', seed: 2 },
      { valid: false, anomalies: [{ kind: 'lost-acked-write' }] },
      false,
    )
    // What a copy that follows links (an uploaded artifact) makes of `latest`: folders, not runs of their own.
    fakeRun(two, 'kill-primary', 'latest', { db: 'sim', seed: 1 }, { valid: true, anomalies: [] })
    mkdirSync(join(two, 'latest'))

    const written = await runCli(['report', '--index', one, two, '--out', site])
    expect(written.stderr).toBe('')
    expect(written.code).toBe(0)
    expect(written.stdout).toContain(`${join(site, 'index.html')} (3 runs)`)
    const html = readFileSync(join(site, 'index.html'), 'utf8')
    const runs = indexData(html)
    expect(runs.map((r) => [r.store, r.path])).toEqual([
      ['engine-2', 'engine-2/timeout-fallback/20261201T110000.000Z-s2'],
      ['engine-1', 'engine-1/kill-primary/20261201T100000.000Z-s1'],
      ['engine-2', 'engine-2/kill-primary/20261201T100000.000Z-s1'],
    ])
    // The page links each run's report.html (or results.json without one): every target is there from the site.
    for (const run of runs) {
      expect(existsSync(join(site, run.path, run.hasReport ? 'report.html' : 'results.json'))).toBe(true)
    }
    expect(html).toContain('<th data-column="4">seed</th>')
    expect(html).toContain('<th data-column="9">store</th>')
    expect(html).toContain(
      '<select id="filter-store"><option value="all">every store</option><option value="engine-1">engine-1</option>' +
        '<option value="engine-2">engine-2</option></select>',
    )
  })

  it('keeps one store as it was: written into the store, no store column', async () => {
    const store = tempDir()
    fakeRun(store, 't', '20261201T100000.000Z-s1', { db: 'sim', seed: 1 }, { valid: true, anomalies: [] })
    expect((await runCli(['report', '--index', store])).code).toBe(0)
    const html = readFileSync(join(store, 'index.html'), 'utf8')
    expect(indexData(html)).toMatchObject([{ path: 't/20261201T100000.000Z-s1' }])
    expect(indexData(html)[0]).not.toHaveProperty('store')
    expect(html).not.toContain('<select id="filter-store"')
    expect(html).not.toContain('data-column="9"')
  })

  it('merges the matrix records of two shards into one matrix, each seed linking into its own store', async () => {
    const site = tempDir()
    shardStore(join(site, 'shard-1'), 'v20.19.0', [
      { scenario: 'kill-primary', seed: 1 },
      { scenario: 'timeout-fallback', seed: 2, pass: false },
    ])
    shardStore(
      join(site, 'shard-2'),
      'v20.19.0',
      [
        { scenario: 'kill-primary', seed: 2 },
        { scenario: 'timeout-fallback', seed: 1 },
      ],
      '2026-12-01T01:59:00.000Z',
    )
    const written = await runCli(['report', '--index', join(site, 'shard-1'), join(site, 'shard-2'), '--out', site])
    expect(written.code).toBe(0)
    expect(written.stdout).toContain(`${join(site, 'matrix.html')} (2 matrix runs)`)
    const html = readFileSync(join(site, 'matrix.html'), 'utf8')
    // One system column, each scenario's seeds from both shards in one cell; the failing row first.
    expect(html.match(/<th>sim<\/th>/g)).toHaveLength(1)
    expect(html).toContain('sim (2026-12-01T01:59:00.000Z, 2 stores: shard-1, shard-2)')
    expect([...html.matchAll(/<tr><td>([\w-]+) \[after_sync\]/g)].map((m) => m[1])).toEqual([
      'timeout-fallback',
      'kill-primary',
    ])
    expect(html).toContain('<td class="pass"><b>PASS</b> 2/2')
    expect(html).toContain('<td class="fail"><b>FAIL</b> 1/2')
    const links = hrefs(html)
    expect(links).toHaveLength(4)
    expect(links.filter((l) => l.startsWith('shard-1/'))).toHaveLength(2)
    for (const link of links) expect(existsSync(join(site, link))).toBe(true)
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain('href="matrix.html"')
  })

  it('keeps the same system on different Node versions apart: one matrix per runtime', () => {
    const site = tempDir()
    for (const [name, node] of [
      ['node20-shard-1', 'v20.19.0'],
      ['node20-shard-2', 'v20.19.0'],
      ['node22-shard-1', 'v22.11.0'],
    ] as const) {
      shardStore(join(site, name), node, [{ scenario: 'kill-primary', seed: name.endsWith('1') ? 1 : 2 }])
    }
    const merged = collectSite(
      ['node20-shard-1', 'node20-shard-2', 'node22-shard-1'].map((name) => join(site, name)),
      site,
    )
    expect(merged.matrices.map((m) => [m.system, m.stores, m.rows.map((r) => r.runDir)])).toEqual([
      [
        'sim · node 20',
        ['node20-shard-1', 'node20-shard-2'],
        ['node20-shard-1/kill-primary/20261201T020000.000Z-s1', 'node20-shard-2/kill-primary/20261201T020000.000Z-s2'],
      ],
      ['sim · node 22', ['node22-shard-1'], ['node22-shard-1/kill-primary/20261201T020000.000Z-s1']],
    ])
  })

  it('lists campaign records, linking their unexpected draws', async () => {
    const site = tempDir()
    const store = join(site, 'engine-1')
    const runDir = fakeRun(
      store,
      'random-safe',
      '20261201T030000.000Z-s77',
      { db: 'sim', seed: 77 },
      { valid: false, anomalies: [{ kind: 'divergence' }] },
    )
    writeCampaignRecord(store, {
      system: 'sim',
      startedAt: '2026-12-01T03:00:00.000Z',
      seed: 41,
      timeBudgetS: 1200,
      shard: '1/4',
      wallSeconds: 1201,
      complete: true,
      unexpected: 1,
      rows: [
        { ...fakeRow('kill-primary', 76), draw: 0 },
        {
          ...fakeRow('random-safe', 77, { pass: false, found: ['divergence'], reason: 'a safe draw found divergence' }),
          // A campaign keeps its rows' run folders relative to the store, as `campaign` does.
          runDir: runDirInStore(store, runDir),
          draw: 4,
        },
      ],
    })
    fakeRun(
      join(site, 'engine-2'),
      't',
      '20261201T100000.000Z-s1',
      { db: 'sim', seed: 1 },
      { valid: true, anomalies: [] },
    )
    const written = await runCli(['report', '--index', store, join(site, 'engine-2'), '--out', site])
    expect(written.code).toBe(0)
    expect(written.stdout).toContain(`${join(site, 'campaigns.html')} (1 campaigns)`)
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain('href="campaigns.html"')
    const html = readFileSync(join(site, 'campaigns.html'), 'utf8')
    expect(html).toContain('1 campaign record(s), 2 draws, 1 unexpected.')
    expect(html).toContain(
      '<td>sim</td><td>engine-1</td><td>1/4</td><td class="num">41</td><td>20m</td><td class="num">1201</td>' +
        '<td class="num">2</td><td class="num">1</td><td>complete</td>',
    )
    expect(hrefs(html)).toEqual(['engine-1/random-safe/20261201T030000.000Z-s77/report.html'])
    for (const link of hrefs(html)) expect(existsSync(join(site, link))).toBe(true)
  })

  it('refuses a store that is not a folder, and several stores without --out, naming what is wrong', async () => {
    const site = tempDir()
    const store = join(site, 'engine-1')
    fakeRun(store, 't', '20261201T100000.000Z-s1', { db: 'sim', seed: 1 }, { valid: true, anomalies: [] })
    const missing = await runCli(['report', '--index', store, join(site, 'engine-9'), '--out', site])
    expect(missing.code).toBe(254)
    expect(missing.stderr).toContain(`report --index: ${join(site, 'engine-9')} is not a folder`)
    const file = await runCli(['report', '--index', store, join(store, 't', '20261201T100000.000Z-s1', 'test.json')])
    expect(file.code).toBe(254)
    expect(file.stderr).toMatch(/test\.json is not a folder/)
    const noOut = await runCli(['report', '--index', store, dirname(store)])
    expect(noOut.code).toBe(254)
    expect(noOut.stderr).toMatch(/^semisync-chaos: --out: report --index merges 2 stores into one site/)
    expect(existsSync(join(site, 'index.html'))).toBe(false)
  })

  it('warns when a store lies outside --out: its links leave the published folder', async () => {
    const store = tempDir()
    const site = tempDir()
    fakeRun(store, 't', '20261201T100000.000Z-s1', { db: 'sim', seed: 1 }, { valid: true, anomalies: [] })
    const written = await runCli(['report', '--index', store, '--out', site])
    expect(written.code).toBe(0)
    expect(written.stderr).toContain(`${store} is outside ${site}`)
    const [run] = indexData(readFileSync(join(site, 'index.html'), 'utf8'))
    expect(run?.path).toMatch(/^\.\.\//)
    expect(existsSync(join(site, run?.path ?? '', 'report.html'))).toBe(true)
  })
})
