import type { Op } from '../../../core/history/op.js'
import type { StatusSample } from '../../../core/semisync/status-sample.js'
import { escapeHtml } from '../escape-html.js'
import { cycleTable } from './cycle-table.js'
import { drawReport } from './report-client.js'
import { reportData } from './report-data.js'
import { chartAssets } from './uplot-assets.js'

/** What a run folder holds, as the report reads it. */
export interface RunReportInput {
  /** test.json: the config, the run id, the build and the command line. */
  test: Record<string, unknown>
  /** results.json (an interrupted run's has fewer fields). */
  results: Record<string, unknown>
  history: readonly Op[]
  samples: readonly StatusSample[]
  /** The run folder, for the command that reproduces the run; null when the report is not in one. */
  runDir: string | null
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 20px; color: #1d1d1f; max-width: 1440px; }
h1 { font-size: 20px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
.v-false { color: #b3261e; } .v-true { color: #1b7a3a; } .v-unknown { color: #8a6100; }
table { border-collapse: collapse; margin: 8px 0 16px; } th, td { border: 1px solid #ddd; padding: 3px 8px;
  text-align: left; vertical-align: top; } th { background: #f6f6f6; }
code, pre { font: 12px/1.4 ui-monospace, monospace; } pre { background: #f7f7f7; padding: 8px; overflow-x: auto;
  margin: 4px 0; white-space: pre-wrap; word-break: break-all; }
#anomaly-list { max-height: 420px; overflow-y: auto; border: 1px solid #eee; padding: 0 6px; }
.anomaly { margin: 6px 0; padding: 6px 10px; border-left: 4px solid #b3261e; background: #fdf6f6; }
.anomaly .kind { font-weight: 600; }
table.cycle { margin: 6px 0; font-size: 12px; }
table.cycle td { vertical-align: top; }
table.cycle .edge { font-weight: 600; }
.chart { margin: 6px 0 14px; } #timeline { overflow-y: auto; border: 1px solid #e3e3e3; position: relative; }
#timeline-tip { font: 12px ui-monospace, monospace; min-height: 1.5em; color: #333; }
.legend span { display: inline-block; padding: 0 8px; margin-right: 6px; border-radius: 3px; }
`

const BAND_LEGEND: Array<[string, string]> = [
  ['kill', 'rgba(179, 38, 30, 0.25)'],
  ['pause', 'rgba(199, 124, 2, 0.25)'],
  ['partition', 'rgba(59, 111, 196, 0.25)'],
  ['latency', 'rgba(122, 76, 194, 0.25)'],
  ['applier', 'rgba(0, 128, 128, 0.25)'],
  ['load', 'rgba(90, 90, 90, 0.2)'],
]

/**
 * One run as a self-contained HTML page: verdicts and anomalies with their evidence, latency and throughput with the
 * faults as bands and failovers as lines, the semi-sync status and replication positions per node, a timeline of
 * every operation, and the config with the command that reproduces the run. Nothing is fetched: the chart library,
 * the data and the page's script are inline, so the file opens from disk and can be mailed.
 */
export function renderRunReport(input: RunReportInput): string {
  const { test, results } = input
  const name = String(test.name ?? 'run')
  const valid = results.valid as boolean | 'unknown' | undefined
  const verdict = valid === true ? 'valid' : valid === false ? 'INVALID' : 'unknown'
  const data = reportData(input.history, input.samples)
  const assets = chartAssets()
  // `<` escaped, so no string from the history can close the script element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c')
  const body = [
    `<h1>${escapeHtml(name)}: <span class="v-${String(valid ?? 'unknown')}">${escapeHtml(verdict)}</span></h1>`,
    `<p>${escapeHtml(summaryLine(test, results, data.ops.start.length))}</p>`,
    typeof results.reason === 'string' ? `<p><b>Why unknown:</b> ${escapeHtml(results.reason)}</p>` : '',
    results.interrupted === true ? '<p><b>This run was interrupted</b>: the verdict covers what was recorded.</p>' : '',
    '<nav><a href="#anomalies">anomalies</a> · <a href="#checkers">checkers</a> · <a href="#charts">charts</a> · ' +
      '<a href="#timeline-section">timeline</a> · <a href="#cluster">cluster</a> · <a href="#config">config</a></nav>',
    anomaliesSection(results),
    checkersSection(results),
    '<h2 id="charts">Over time</h2>',
    `<p class="legend">Faults in effect: ${BAND_LEGEND.map(
      ([kind, colour]) => `<span style="background:${colour}">${kind}</span>`,
    ).join(
      '',
    )} failovers: dashed red lines. Drag across a chart to zoom (all charts follow), double-click to reset.</p>`,
    ...['latency-chart', 'throughput-chart', 'status-chart', 'waiting-chart', 'tx-chart', 'positions-chart'].map(
      (id) => `<div class="chart" id="${id}"></div>`,
    ),
    faultsTable(data.bands, data.failovers),
    '<h2 id="timeline-section">Operations by process</h2>',
    '<p>Every client operation from invocation to completion (green ok, orange fail, red info, purple pending), ' +
      'one row per process; it follows the charts\u2019 zoom.</p>',
    '<div id="timeline"></div><div id="timeline-tip"></div>',
    clusterSection(results),
    configSection(test, input.runDir),
  ]
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(`${name}: ${verdict}`)}</title>`,
    `<style>${assets.style}</style><style>${STYLE}</style></head><body>`,
    ...body.filter((part) => part !== ''),
    `<script type="application/json" id="report-data">${json}</script>`,
    `<script>${assets.script}</script>`,
    // Some TypeScript runners wrap named functions in `__name(…)`; the page has no such helper otherwise.
    '<script>var __name = function (f) { return f };',
    `(${drawReport.toString()})(JSON.parse(document.getElementById('report-data').textContent), uPlot)</script>`,
    '</body></html>',
    '',
  ].join('\n')
}

function summaryLine(test: Record<string, unknown>, results: Record<string, unknown>, clientOps: number): string {
  const db = test.db === 'sim' ? `built-in engine (${String(test.flavor)} personality)` : String(test.db)
  const mode = test.semiSync === false ? 'async' : String(test.waitPoint ?? '').toUpperCase()
  const figures = results.figures as { wallSeconds?: number; simulatedSeconds?: number } | undefined
  const took =
    figures?.simulatedSeconds === undefined
      ? ''
      : `, ${figures.simulatedSeconds.toFixed(1)} s of run${test.db === 'sim' ? ' (virtual time)' : ''}`
  return `${db}, ${mode}, seed ${String(test.seed)}, ${clientOps} client operations${took}; run ${String(test.runId ?? '')}`
}

function anomaliesSection(results: Record<string, unknown>): string {
  const anomalies = (results.anomalies ?? []) as Array<{ kind: string; message: string; evidence?: unknown }>
  if (anomalies.length === 0) return '<h2 id="anomalies">Anomalies</h2><p>None.</p>'
  const counts = new Map<string, number>()
  for (const a of anomalies) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1)
  return [
    `<h2 id="anomalies">Anomalies (${anomalies.length})</h2>`,
    `<p>${[...counts].map(([kind, n]) => `${escapeHtml(kind)} × ${n}`).join(', ')}</p>`,
    '<div id="anomaly-list">',
    ...anomalies.map(
      (a) =>
        `<div class="anomaly" data-kind="${escapeHtml(a.kind)}"><span class="kind">${escapeHtml(a.kind)}</span>: ` +
        `${escapeHtml(a.message)}${cycleTable(a.evidence)}` +
        `${a.evidence === undefined ? '' : `<details><summary>evidence</summary><pre>${escapeHtml(JSON.stringify(a.evidence, null, 2))}</pre></details>`}</div>`,
    ),
    '</div>',
  ].join('\n')
}

function checkersSection(results: Record<string, unknown>): string {
  const checkers = (results.checkers ?? {}) as Record<
    string,
    { valid: boolean | 'unknown'; reason?: string; error?: string; stats?: unknown; anomalies?: unknown[] }
  >
  const rows = Object.entries(checkers).map(
    ([name, r]) =>
      `<tr><td>${escapeHtml(name)}</td><td class="v-${String(r.valid)}">${escapeHtml(String(r.valid))}</td>` +
      `<td>${escapeHtml(r.reason ?? r.error ?? '')}</td><td>${r.anomalies?.length ?? 0}</td>` +
      `<td>${r.stats === undefined ? '' : `<details><summary>figures</summary><pre>${escapeHtml(JSON.stringify(r.stats, null, 2))}</pre></details>`}</td></tr>`,
  )
  return [
    '<h2 id="checkers">Checkers</h2>',
    '<table><tr><th>checker</th><th>valid</th><th>reason</th><th>anomalies</th><th></th></tr>',
    ...rows,
    '</table>',
  ].join('\n')
}

function faultsTable(
  bands: ReadonlyArray<{ start: number; end: number; label: string; open: boolean }>,
  failovers: ReadonlyArray<{ time: number; label: string }>,
): string {
  const rows = [
    ...bands.map((b) => ({ at: b.start, text: `${b.label} until ${b.open ? 'the end' : `${b.end.toFixed(3)} s`}` })),
    ...failovers.map((f) => ({ at: f.time, text: `failover ${f.label}` })),
  ].sort((a, b) => a.at - b.at)
  if (rows.length === 0) return '<p>No faults.</p>'
  return [
    '<details><summary>Faults and failovers, in order</summary><table><tr><th>from (s)</th><th>what</th></tr>',
    ...rows.map((r) => `<tr><td>${r.at.toFixed(3)}</td><td>${escapeHtml(r.text)}</td></tr>`),
    '</table></details>',
  ].join('\n')
}

function clusterSection(results: Record<string, unknown>): string {
  const parts = ['<h2 id="cluster">The cluster at the end</h2>']
  if (results.recovery !== undefined)
    parts.push(`<p>Recovery:</p><pre>${escapeHtml(JSON.stringify(results.recovery, null, 2))}</pre>`)
  const nodes = (results.nodes ?? {}) as Record<string, { role?: string; alive?: boolean; error?: string }>
  if (Object.keys(nodes).length > 0) {
    parts.push('<table><tr><th>node</th><th>role</th><th>alive</th><th>status and replication</th></tr>')
    for (const [node, report] of Object.entries(nodes)) {
      parts.push(
        `<tr><td>${escapeHtml(node)}</td><td>${escapeHtml(report.role ?? '')}</td><td>${String(report.alive)}</td>` +
          `<td><details><summary>details</summary><pre>${escapeHtml(JSON.stringify(report, null, 2))}</pre></details></td></tr>`,
      )
    }
    parts.push('</table>')
  }
  return parts.join('\n')
}

function configSection(test: Record<string, unknown>, runDir: string | null): string {
  const { build, argv, ...config } = test
  const command = Array.isArray(argv) ? `semisync-chaos ${argv.map((a) => shellWord(String(a))).join(' ')}` : null
  const rerun = runDir === null ? null : `npx semisync-chaos run --config ${shellWord(`${runDir}/test.json`)}`
  return [
    '<h2 id="config">Configuration</h2>',
    rerun === null ? '' : `<p>Reproduce this run (same seed, same config):</p><pre>${escapeHtml(rerun)}</pre>`,
    command === null ? '' : `<p>The command that ran it:</p><pre>${escapeHtml(command)}</pre>`,
    `<p>Build:</p><pre>${escapeHtml(JSON.stringify(build ?? null))}</pre>`,
    '<table><tr><th>setting</th><th>value</th></tr>',
    ...Object.entries(config).map(
      ([key, value]) =>
        `<tr><td>${escapeHtml(key)}</td><td><code>${escapeHtml(JSON.stringify(value) ?? 'undefined')}</code></td></tr>`,
    ),
    '</table>',
  ].join('\n')
}

/** A word as a POSIX shell reads it: quoted unless it is plainly safe. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`
}
