import { escapeHtml } from '../escape-html.js'
import type { IndexedRun } from './collect-runs.js'
import { drawIndex } from './index-client.js'

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 20px; color: #1d1d1f; }
h1 { font-size: 20px; } .v-false { color: #b3261e; font-weight: 600; } .v-true { color: #1b7a3a; }
.v-unknown { color: #8a6100; } table { border-collapse: collapse; margin-top: 8px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; } th { background: #f6f6f6; cursor: pointer; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } input, select { font: inherit; margin-right: 8px; }
td:first-child { white-space: nowrap; }
`

const HEADERS = ['started (UTC)', 'test', 'system', 'mode', 'seed', 'verdict', 'anomalies', 'client ops', 'wall s']
/** Last, so that the other columns keep their numbers whether or not the index merges stores. */
const STORE_HEADER = 'store'

/**
 * The store's index: every run with its time, test, system, wait point, seed, verdict, anomaly kinds and duration,
 * each linking to its report; sortable and filterable in the page, self-contained like the reports. When the runs
 * come from several stores (CI shards merged into one site), a store column and a store filter tell them apart.
 */
export function renderIndex(
  runs: readonly IndexedRun[],
  title: string,
  matrixPage: string | null = null,
  campaignsPage: string | null = null,
): string {
  const counts = { valid: 0, invalid: 0, unknown: 0 }
  for (const r of runs) counts[r.valid === true ? 'valid' : r.valid === false ? 'invalid' : 'unknown']++
  const json = JSON.stringify(runs).replace(/</g, '\\u003c')
  const stores = [...new Set(runs.flatMap((r) => (r.store === undefined ? [] : [r.store])))].sort()
  const headers = stores.length > 0 ? [...HEADERS, STORE_HEADER] : HEADERS
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${runs.length} runs: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.unknown} unknown.` +
      `${matrixPage === null ? '' : ` The scenario matrix (each row judged against the catalogue): <a href="${escapeHtml(matrixPage)}">${escapeHtml(matrixPage)}</a>.`}` +
      `${campaignsPage === null ? '' : ` The campaigns (random draws, each judged): <a href="${escapeHtml(campaignsPage)}">${escapeHtml(campaignsPage)}</a>.`}` +
      `${stores.length === 0 ? '' : ` From ${stores.length} stores.`}</p>`,
    '<p><input id="filter-text" type="search" placeholder="filter: test, system, anomaly kind, …" size="40">',
    '<select id="filter-verdict"><option value="all">every verdict</option><option value="false">invalid</option>' +
      '<option value="true">valid</option><option value="unknown">unknown</option></select>',
    ...(stores.length === 0
      ? []
      : [
          `<select id="filter-store"><option value="all">every store</option>${stores
            .map((store) => `<option value="${escapeHtml(store)}">${escapeHtml(store)}</option>`)
            .join('')}</select>`,
        ]),
    '<span id="shown"></span></p>',
    `<table><thead><tr>${headers.map((h, i) => `<th data-column="${i}">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody id="runs-body"></tbody></table>',
    `<script type="application/json" id="index-data">${json}</script>`,
    '<script>var __name = function (f) { return f };',
    `(${drawIndex.toString()})(JSON.parse(document.getElementById('index-data').textContent))</script>`,
    '</body></html>',
    '',
  ].join('\n')
}
