import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { markdownCell, markdownLink } from '../../results/report/markdown-table.js'
import type { CampaignListing } from '../../results/report/store-index/campaign-listing.js'
import type { MatrixColumn } from '../../results/report/store-index/merge-matrices.js'
import { renderSummaryMarkdown } from '../../results/report/summary-markdown.js'
import { writeMatrixRecord } from '../../results/store/matrix-record.js'
import { runCli, tempDir } from '../harness/cli/cli-kit.js'
import { fakeRow, fakeRun } from './store-kit.js'

const MATRIX: MatrixColumn = {
  system: 'sim',
  startedAt: '2026-12-01T02:00:00Z',
  wallSeconds: 60,
  stores: ['shard-1', 'shard-2'],
  rows: [
    fakeRow('kill-primary', 1, { runDir: 'shard-1/kill-primary/r1' }),
    fakeRow('timeout-fallback', 1, {
      runDir: 'shard-2/timeout-fallback/r1',
      expected: ['lost-acked-write'],
      pass: false,
      valid: true,
      reason: 'expected lost-acked-write | found nothing\nsecond line',
    }),
    fakeRow('kill-primary', 2, { runDir: null, pass: false, valid: 'unknown', error: 'no precondition' }),
  ],
}

const CAMPAIGN: CampaignListing = {
  store: 'shard-1',
  system: 'sim',
  seed: 41,
  shard: '1/4',
  startedAt: '2026-12-01T03:00:00Z',
  timeBudgetS: 1200,
  wallSeconds: 1201.4,
  complete: true,
  rows: [
    { ...fakeRow('kill-primary', 76, { runDir: 'shard-1/kill-primary/r76' }), draw: 0 },
    {
      ...fakeRow('random-safe', 77, { runDir: 'shard-1/random-safe/r77', pass: false, found: ['divergence'] }),
      reason: 'a safe draw found divergence',
      draw: 4,
    },
  ],
  unexpected: [],
}
CAMPAIGN.unexpected = CAMPAIGN.rows.filter((row) => !row.pass)

describe('the CI job summary (report --summary)', () => {
  it('renders known input as known Markdown: failures and errors first, then campaigns, then counts', () => {
    expect(renderSummaryMarkdown({ matrices: [MATRIX], campaigns: [CAMPAIGN] })).toBe(
      [
        '## semisync-chaos: 1 failed row, 1 row that could not run, 1 unexpected draw',
        '',
        '### sim',
        '',
        'Matrix (2026-12-01T02:00:00Z from 2 stores): 3 rows, 1 passed, 1 failed, 1 error.',
        '',
        '| scenario | mode | seed | expected | found | verdict | reason |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        '| timeout-fallback | after_sync | 1 | lost-acked-write | nothing | **FAIL** | expected lost-acked-write \\| found nothing<br>second line |',
        '| kill-primary | after_sync | 2 | nothing | nothing | **ERROR** | no precondition |',
        '| kill-primary | after_sync | 1 | nothing | nothing | PASS |  |',
        '',
        'Campaigns: 1 record, 2 draws, 1 unexpected.',
        '',
        '| store | shard | seed | budget | wall s | draws | unexpected | state |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        '| shard-1 | 1/4 | 41 | 20m | 1201 | 2 | 1 | complete |',
        '',
        '| shard | draw | scenario | mode | seed | expected | found | verdict | reason |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        '| 1/4 | 4 | random-safe | after_sync | 77 | nothing | divergence | **UNEXPECTED** | a safe draw found divergence |',
        '| 1/4 | 0 | kill-primary | after_sync | 76 | nothing | nothing | as expected |  |',
        '',
        '### Counts',
        '',
        '| system | matrix rows | passed | failed | errors | campaign draws | unexpected |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        '| sim | 3 | 1 | 1 | 1 | 2 | 1 |',
        '',
      ].join('\n'),
    )
  })

  it('links each row to its report on the published site when given its URL, and caps the passing rows', () => {
    const markdown = renderSummaryMarkdown(
      { matrices: [MATRIX], campaigns: [] },
      { baseUrl: 'https://example.github.io/semisync-chaos/', passingRowsShown: 0 },
    )
    expect(markdown).toContain(
      '| [timeout-fallback](https://example.github.io/semisync-chaos/shard-2/timeout-fallback/r1/report.html) |',
    )
    // A row without a run folder has nothing to link.
    expect(markdown).toContain('| kill-primary | after_sync | 2 |')
    expect(markdown).not.toContain('| PASS |')
    expect(markdown).toContain('…and 1 more passing row.')
  })

  it('says so when every row passed, and when there is nothing to report', () => {
    const passing = { ...MATRIX, rows: [fakeRow('kill-primary', 1)] }
    expect(renderSummaryMarkdown({ matrices: [passing], campaigns: [] })).toMatch(
      /^## semisync-chaos: every row passed, no unexpected draw\n/,
    )
    expect(renderSummaryMarkdown({ matrices: [], campaigns: [] })).toBe(
      '## semisync-chaos: no matrix or campaign records in the stores\n',
    )
  })

  it('escapes what would break a table cell or a link', () => {
    expect(markdownCell('a|b\r\nc\\d<script>')).toBe('a\\|b<br>c\\\\d&lt;script>')
    expect(markdownLink('x]y', 'https://h/a (1)/r')).toBe('[x\\]y](https://h/a%20%281%29/r)')
  })

  it('`report --summary <stores>` prints the stores merged; a bad --base-url or store is bad input', async () => {
    const site = tempDir()
    for (const [shard, seed] of [
      ['shard-1', 1],
      ['shard-2', 2],
    ] as const) {
      const store = join(site, shard)
      const runDir = fakeRun(store, 'kill-primary', `20261201T020000.000Z-s${seed}`, { db: 'sim', seed }, null)
      writeMatrixRecord(store, {
        system: 'sim',
        startedAt: '2026-12-01T02:00:00Z',
        wallSeconds: 1,
        rows: [fakeRow('kill-primary', seed, { runDir })],
      })
    }
    const printed = await runCli([
      'report',
      '--summary',
      join(site, 'shard-1'),
      join(site, 'shard-2'),
      '--base-url',
      'https://example.org/site',
    ])
    expect(printed.code).toBe(0)
    expect(printed.stdout).toContain(
      'Matrix (2026-12-01T02:00:00Z from 2 stores): 2 rows, 2 passed, 0 failed, 0 errors.',
    )
    expect(printed.stdout).toContain(
      '| [kill-primary](https://example.org/site/shard-2/kill-primary/20261201T020000.000Z-s2/report.html) |',
    )
    const badUrl = await runCli(['report', '--summary', site, '--base-url', 'site'])
    expect(badUrl.code).toBe(254)
    expect(badUrl.stderr).toMatch(/^semisync-chaos: --base-url: /)
    const badStore = await runCli(['report', '--summary', join(site, 'nope')])
    expect(badStore.code).toBe(254)
    expect(badStore.stderr).toContain(`report --summary: ${join(site, 'nope')} is not a folder`)
    const both = await runCli(['report', '--summary', '--index', site])
    expect(both.code).toBe(254)
    const urlWithoutSummary = await runCli(['report', '--index', site, '--base-url', 'https://example.org'])
    expect(urlWithoutSummary.stderr).toMatch(/^semisync-chaos: --base-url: /)
  })
})
