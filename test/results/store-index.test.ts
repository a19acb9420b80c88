import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { collectRuns } from '../../results/report/store-index/collect-runs.js'
import { renderIndex } from '../../results/report/store-index/render-index.js'
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
