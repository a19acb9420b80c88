import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { collectRuns } from '../../results/report/store-index/collect-runs.js'
import { renderIndex } from '../../results/report/store-index/render-index.js'
import { renderMatrixPage } from '../../results/report/store-index/render-matrix.js'
import type { MatrixRow } from '../../results/report/matrix-row.js'
import { runCli, tempDir } from '../harness/cli/cli-kit.js'
import { fakeRun } from './store-kit.js'

describe('the store index', () => {
  it('lists every run folder newest first, reading what each one says, and skips what is no run', () => {
    const store = tempDir()
    fakeRun(
      store,
      'kill-primary',
      '20261201T100000.000Z-s1',
      { db: 'sim', flavor: 'mariadb', waitPoint: 'after_sync', seed: 1 },
      {
        valid: true,
        anomalies: [],
        figures: { clientOps: 900, wallSeconds: 1.5 },
      },
    )
    const lost = fakeRun(
      store,
      'timeout',
      '20261201T110000.000Z-s2',
      { db: 'mariadb', waitPoint: 'after_commit', seed: 2 },
      {
        valid: false,
        anomalies: [{ kind: 'lost-acked-write' }, { kind: 'lost-acked-write' }, { kind: 'phantom-read' }],
      },
      false,
    )
    fakeRun(
      store,
      'async',
      '20261201T120000.000Z-s3',
      { db: 'mysql', image: 'mysql:8.4', semiSync: false, seed: 3 },
      '{ not json',
    )
    fakeRun(store, 'crashed', '20261201T130000.000Z-s4', { db: 'sim', seed: 4 }, null)
    mkdirSync(join(store, 'ci'), { recursive: true })
    writeFileSync(join(store, 'ci', 'matrix.junit.xml'), '<testsuites/>')
    symlinkSync(lost, join(store, 'latest'))
    const runs = collectRuns(store)
    expect(runs.map((r) => [r.test, r.system, r.mode, r.seed, r.valid, r.hasReport])).toEqual([
      ['crashed', 'sim (mariadb)', '', 4, 'unknown', true],
      ['async', 'mysql mysql:8.4', 'async', 3, 'unknown', true],
      ['timeout', 'mariadb', 'after_commit', 2, false, false],
      ['kill-primary', 'sim (mariadb)', 'after_sync', 1, true, true],
    ])
    expect(runs[2]).toMatchObject({
      path: 'timeout/20261201T110000.000Z-s2',
      startedAt: '2026-12-01T11:00:00.000Z',
      anomalies: { 'lost-acked-write': 2, 'phantom-read': 1 },
      clientOps: null,
    })
    expect(runs[3]).toMatchObject({ clientOps: 900, wallSeconds: 1.5 })
  })

  it('writes a self-contained page with every run as data, escaping names', () => {
    const html = renderIndex(
      [
        {
          path: 'a/b',
          test: '</script><b>x</b>',
          runId: 'r',
          startedAt: '',
          system: 'sim (mariadb)',
          mode: 'after_sync',
          seed: 1,
          valid: false,
          anomalies: { divergence: 1 },
          clientOps: 1,
          wallSeconds: 1,
          hasReport: true,
          interrupted: false,
        },
      ],
      'runs in <store>',
    )
    expect(html).toContain('<h1>runs in &lt;store&gt;</h1>')
    expect(html).not.toContain('</script><b>')
    expect(html).toContain('1 runs: 0 valid, 1 invalid, 0 unknown.')
    expect(html).not.toMatch(/(src|href)=/)
  })

  it('`report --index <store>` writes index.html; a folder that does not exist is bad input', async () => {
    const store = tempDir()
    fakeRun(store, 't', '20261201T100000.000Z-s1', { db: 'sim', seed: 1 }, { valid: true, anomalies: [] })
    const written = await runCli(['report', '--index', store])
    expect(written.code).toBe(0)
    expect(written.stdout).toContain(`${join(store, 'index.html')} (1 runs)`)
    const missing = await runCli(['report', '--index', join(store, 'nope')])
    expect(missing.code).toBe(254)
    expect(missing.stderr).toMatch(/is not a folder/)
  })
})

describe('the matrix page', () => {
  it('`matrix` records its rows in the store and `report --index` draws them, each seed linking to its report', async () => {
    const store = tempDir()
    const ran = await runCli([
      'matrix',
      '--db',
      'sim',
      '--seeds',
      '2',
      '--scenario',
      'kill-primary',
      '--results-dir',
      store,
    ])
    expect(ran.code).toBe(0)
    const written = await runCli(['report', '--index', store])
    expect(written.stdout).toContain('matrix.html (1 matrix runs)')
    const html = readFileSync(join(store, 'matrix.html'), 'utf8')
    expect(html.match(/<td class="pass"><b>PASS<\/b> 2\/2/g)).toHaveLength(2) // after_sync and after_commit
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string)
    expect(links).toHaveLength(4)
    for (const link of links) expect(existsSync(join(store, link))).toBe(true)
    expect(readFileSync(join(store, 'index.html'), 'utf8')).toContain('href="matrix.html"')
  }, 60_000)

  it('lists failed and errored rows first, and shows each system’s newest matrix only', () => {
    const row = (scenario: string, pass: boolean, extra: Partial<MatrixRow> = {}): MatrixRow => ({
      scenario,
      db: 'sim',
      waitPoint: 'after_sync',
      seed: 1,
      expected: [],
      tolerated: [],
      found: pass ? [] : ['lost-acked-write'],
      pass,
      valid: pass,
      runDir: `${scenario}/r1`,
      ...extra,
    })
    const html = renderMatrixPage(
      [
        { system: 'sim', startedAt: '2026-12-01T00:00:00Z', wallSeconds: 1, rows: [row('old', false)] },
        {
          system: 'sim',
          startedAt: '2026-12-02T00:00:00Z',
          wallSeconds: 1,
          rows: [row('a', true), row('b', false), row('c', false, { error: 'mariadbd would not start' })],
        },
      ],
      'matrix',
    )
    expect(html).not.toContain('old [after_sync]')
    const order = [...html.matchAll(/<tr><td>(\w) \[after_sync\]/g)].map((m) => m[1])
    expect(order).toEqual(['b', 'c', 'a'])
    expect(html).toContain('<td class="fail"><b>FAIL</b> 0/1')
    expect(html).toContain('<td class="error"><b>ERROR</b> 0/1')
  })
})
