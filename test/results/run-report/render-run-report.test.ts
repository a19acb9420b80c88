import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../harness/config/test-config.js'
import { validateConfig } from '../../../harness/config/validate-config.js'
import { runTest } from '../../../harness/run/run-test.js'
import { renderRunReport } from '../../../results/report/run-report/render-run-report.js'
import { ElleChecker } from '../../../checkers/elle/index.js'
import { append, r, TxnHistory } from '../../checkers/elle/txn-history.js'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'

/** The embedded data, as the page's script reads it. */
function embeddedData(html: string): Record<string, unknown> {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)
  if (!match) throw new Error('no report data in the page')
  return JSON.parse(match[1] as string) as Record<string, unknown>
}

describe('the run report (report.html)', () => {
  it('is written by every run and is self-contained: nothing fetched, the chart library and data inline', async () => {
    const resultsDir = tempDir()
    const config = validateConfig({
      ...DEFAULT_CONFIG,
      nemesis: ['kill-primary'],
      nemesisIntervalS: 2,
      timeLimitS: 6,
      seed: 5,
      resultsDir,
    })
    const outcome = await runTest(config)
    const html = readFileSync(join(outcome.runDir as string, 'report.html'), 'utf8')
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<(script|img|link)[^>]+(src|href)=/i)
    expect(html).not.toMatch(/https?:\/\/(?!github\.com\/leeoniya)/)
    expect(html).toContain('uPlot')
    const data = embeddedData(html) as { ops: { start: number[] }; failovers: unknown[] }
    const completed = outcome.history.filter((op) => typeof op.process === 'number' && op.type !== 'invoke')
    expect(data.ops.start).toHaveLength(completed.length)
    expect(data.failovers.length).toBeGreaterThan(0)
    expect(html).toContain(`run --config ${outcome.runDir}/test.json`)
    rmSync(resultsDir, { recursive: true, force: true })
  })

  it('lists every anomaly with its evidence, escaping what the history holds', () => {
    const anomalies = [
      { kind: 'lost-acked-write', message: 'add of <b>7</b> was lost', evidence: { element: '</script><b>' } },
      { kind: 'divergence', message: 'n2 differs', evidence: { node: 'n2' } },
    ]
    const html = renderRunReport({
      test: { name: 'x', db: 'sim', flavor: 'mariadb', waitPoint: 'after_sync', seed: 1, argv: ['run', '--seed', '1'] },
      results: { valid: false, anomalies, checkers: { set: { valid: false, anomalies } } },
      history: [
        { index: 0, time: 0, process: 0, type: 'invoke', f: '</script><script>alert(1)</script>', value: 1 },
        { index: 1, time: 5, process: 0, type: 'ok', f: '</script><script>alert(1)</script>', value: 1, node: 'n1' },
      ],
      samples: [],
      runDir: null,
    })
    expect(html.match(/class="anomaly"/g)).toHaveLength(2)
    expect(html).toContain('add of &lt;b&gt;7&lt;/b&gt; was lost')
    expect(html).not.toContain('<b>7</b>')
    // The only script elements are the page's own three.
    expect(html.match(/<script/g)).toHaveLength(3)
    expect(embeddedData(html).fs).toEqual(['</script><script>alert(1)</script>'])
    expect(html).toContain('INVALID')
  })

  it('`report <run-folder>` writes it again for a stored run; a path that is no run folder is bad input', async () => {
    const resultsDir = tempDir()
    const outcome = await runTest(
      validateConfig({ ...DEFAULT_CONFIG, nemesis: ['none'], timeLimitS: 2, seed: 3, resultsDir }),
    )
    const runDir = outcome.runDir as string
    rmSync(join(runDir, 'report.html'))
    const written = await runCli(['report', runDir])
    expect(written.code).toBe(0)
    expect(written.stdout.trim()).toBe(join(runDir, 'report.html'))
    expect(existsSync(join(runDir, 'report.html'))).toBe(true)
    const missing = await runCli(['report', join(resultsDir, 'nothing-here')])
    expect(missing.code).toBe(254)
    expect(missing.stderr).toMatch(/is not a run folder/)
    writeFileSync(join(runDir, 'status.jsonl'), 'not json\n')
    const malformed = await runCli(['report', runDir])
    expect(malformed.code).toBe(254)
    expect(malformed.stderr).toMatch(/status\.jsonl:1 is not valid JSON/)
    rmSync(resultsDir, { recursive: true, force: true })
  })

  it('shows a dependency cycle edge by edge, each transaction with its micro-ops; other evidence gets no table', () => {
    const h = new TxnHistory()
    h.invoke(0, [append('x', 1), append('y', 1)])
    h.invoke(1, [r('x', []), r('y', [1])])
    h.complete(0, 'ok', { node: 'n1' })
    h.complete(1, 'ok', { node: 'n1' })
    const history = h.ops()
    const checked = new ElleChecker().check(history, {})
    const cycle = checked.anomalies.find((a) => a.kind === 'G-single')
    expect(cycle).toBeDefined()
    const html = renderRunReport({
      test: { name: 'x', db: 'sim', flavor: 'mariadb', waitPoint: 'after_sync', seed: 1, argv: [] },
      results: {
        valid: false,
        anomalies: [cycle, { kind: 'divergence', message: 'n2 differs', evidence: { node: 'n2' } }],
        checkers: {},
      },
      history,
      samples: [],
      runDir: null,
    })
    const tables = html.match(/<table class="cycle">[\s\S]*?<\/table>/g) ?? []
    expect(tables).toHaveLength(1)
    const rows = (tables[0] as string).match(/<tr><td>\d+<\/td>/g) ?? []
    expect(rows).toHaveLength((cycle?.evidence.cycle as unknown[]).length)
    expect(tables[0]).toContain('<td class="edge">rw</td>')
    expect(tables[0]).toContain('<td class="edge">wr</td>')
    expect(tables[0]).toContain('op 3, process 1 on n1 (ok)')
  })
})
