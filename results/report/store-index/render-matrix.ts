import type { MatrixRecord } from '../../store/matrix-record.js'
import { escapeHtml } from '../escape-html.js'
import type { MatrixRow } from '../matrix-row.js'

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 20px; color: #1d1d1f; }
h1 { font-size: 20px; } table { border-collapse: collapse; margin-top: 8px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; } th { background: #f6f6f6; }
td.pass { background: #eef7f0; } td.fail { background: #fdecec; } td.error { background: #fff4dc; }
td .seeds a { margin-right: 6px; font-size: 12px; } .kinds { color: #555; font-size: 12px; }
`

/** A matrix to draw as one column; `stores` names the stores whose shards were merged into it (`mergeMatrices`). */
export type MatrixPageColumn = MatrixRecord & { stores?: readonly string[] }

/**
 * The matrix page of a results site: one row per scenario and mode, one column per system (the newest matrix run of
 * each), each cell PASS, FAIL or ERROR over its seeds with a link to every seed's report. Failed and errored rows are
 * listed first. Static HTML: no script.
 */
export function renderMatrixPage(records: readonly MatrixPageColumn[], title: string): string {
  const latest = new Map<string, MatrixPageColumn>()
  for (const record of records) latest.set(record.system, record)
  const systems = [...latest.keys()].sort()
  const cells = new Map<string, Map<string, MatrixRow[]>>()
  const expectedOf = new Map<string, string>()
  for (const system of systems) {
    for (const row of latest.get(system)?.rows ?? []) {
      const key = `${row.scenario} [${row.waitPoint}]`
      if (!cells.has(key)) cells.set(key, new Map())
      const bySystem = cells.get(key) as Map<string, MatrixRow[]>
      bySystem.set(system, [...(bySystem.get(system) ?? []), row])
      if (!expectedOf.has(key)) expectedOf.set(key, row.expected.length > 0 ? row.expected.join(', ') : 'nothing')
    }
  }
  const outcome = (rows: readonly MatrixRow[]): 'pass' | 'fail' | 'error' =>
    rows.some((r) => !r.pass && r.error === undefined)
      ? 'fail'
      : rows.some((r) => r.error !== undefined)
        ? 'error'
        : 'pass'
  const keys = [...cells.keys()]
  const rank = (key: string): number => {
    const outcomes = [...(cells.get(key)?.values() ?? [])].map(outcome)
    return outcomes.includes('fail') ? 0 : outcomes.includes('error') ? 1 : 2
  }
  const ordered = keys.map((key, i) => ({ key, i })).sort((a, b) => rank(a.key) - rank(b.key) || a.i - b.i)
  const failing = ordered.filter(({ key }) => rank(key) < 2).length
  const cell = (rows: readonly MatrixRow[] | undefined): string => {
    if (!rows || rows.length === 0) return '<td>—</td>'
    const result = outcome(rows)
    const passed = rows.filter((r) => r.pass).length
    const seeds = rows
      .map((r) => {
        const label = `s${r.seed}${r.pass ? '' : r.error !== undefined ? ' error' : ' fail'}`
        const title = r.error ?? r.reason ?? (r.found.length > 0 ? r.found.join(', ') : 'no anomaly')
        return r.runDir === null
          ? `<span title="${escapeHtml(title)}">${escapeHtml(label)}</span>`
          : `<a href="${escapeHtml(`${r.runDir}/report.html`)}" title="${escapeHtml(title)}">${escapeHtml(label)}</a>`
      })
      .join('')
    return `<td class="${result}"><b>${result.toUpperCase()}</b> ${passed}/${rows.length}<div class="seeds">${seeds}</div></td>`
  }
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${keys.length} scenario rows on ${systems.length} system(s); ${failing} with a failure or an error (listed first). ` +
      `Each system shows its newest matrix: ${systems.map((s) => escapeHtml(origin(s, latest.get(s)))).join(', ')}.</p>`,
    `<table><thead><tr><th>scenario [mode]</th><th>must find</th>${systems
      .map((s) => `<th>${escapeHtml(s)}</th>`)
      .join('')}</tr></thead><tbody>`,
    ...ordered.map(
      ({ key }) =>
        `<tr><td>${escapeHtml(key)}</td><td class="kinds">${escapeHtml(expectedOf.get(key) ?? '')}</td>${systems
          .map((s) => cell(cells.get(key)?.get(s)))
          .join('')}</tr>`,
    ),
    '</tbody></table>',
    '</body></html>',
    '',
  ].join('\n')
}

/** `sim (2026-12-01T00:00:00Z)`, or with the stores it was merged from: `sim (2026-…, 4 stores: a, b, c, d)`. */
function origin(system: string, column: MatrixPageColumn | undefined): string {
  const stores = column?.stores ?? []
  const from = stores.length > 1 ? `, ${stores.length} stores: ${stores.join(', ')}` : ''
  return `${system} (${column?.startedAt ?? ''}${from})`
}
