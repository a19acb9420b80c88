import { escapeHtml } from '../escape-html.js'
import { budgetText, type CampaignListing } from './campaign-listing.js'

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 20px; color: #1d1d1f; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; } table { border-collapse: collapse; margin-top: 8px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; } th { background: #f6f6f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } tr.unexpected td { background: #fdecec; }
.kinds { color: #555; font-size: 12px; }
`

const kinds = (list: readonly string[]): string => (list.length > 0 ? list.join(', ') : 'nothing')

/**
 * The campaigns page of a results site: one line per campaign record (system, store, shard, seed, budget, draws, how
 * many were unexpected), then every unexpected draw with what it expected and found and a link to its report.
 * Static HTML: no script.
 */
export function renderCampaignsPage(campaigns: readonly CampaignListing[], title: string): string {
  const unexpected = campaigns.flatMap((campaign) => campaign.unexpected.map((row) => ({ campaign, row })))
  const draws = campaigns.reduce((sum, campaign) => sum + campaign.rows.length, 0)
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${campaigns.length} campaign record(s), ${draws} draws, ${unexpected.length} unexpected.</p>`,
    '<table><thead><tr><th>system</th><th>store</th><th>shard</th><th>seed</th><th>budget</th><th>wall s</th>' +
      '<th>draws</th><th>unexpected</th><th>state</th></tr></thead><tbody>',
    ...campaigns.map(
      (c) =>
        `<tr${c.unexpected.length > 0 ? ' class="unexpected"' : ''}><td>${escapeHtml(c.system)}</td>` +
        `<td>${escapeHtml(c.store)}</td><td>${escapeHtml(c.shard ?? 'all')}</td><td class="num">${c.seed}</td>` +
        `<td>${escapeHtml(budgetText(c.timeBudgetS))}</td><td class="num">${c.wallSeconds.toFixed(0)}</td>` +
        `<td class="num">${c.rows.length}</td><td class="num">${c.unexpected.length}</td>` +
        `<td>${c.complete ? 'complete' : 'incomplete'}</td></tr>`,
    ),
    '</tbody></table>',
    `<h2>Unexpected draws (${unexpected.length})</h2>`,
    unexpected.length === 0
      ? '<p>None: every draw came out as its configuration predicts.</p>'
      : '<table><thead><tr><th>system</th><th>store</th><th>draw</th><th>scenario [mode]</th><th>seed</th>' +
        '<th>must find</th><th>found</th><th>why</th></tr></thead><tbody>',
    ...unexpected.map(
      ({ campaign, row }) =>
        `<tr class="unexpected"><td>${escapeHtml(campaign.system)}</td><td>${escapeHtml(campaign.store)}</td>` +
        `<td class="num">${row.draw}</td><td>${
          row.runDir === null
            ? escapeHtml(`${row.scenario} [${row.waitPoint}]`)
            : `<a href="${escapeHtml(`${row.runDir}/report.html`)}">${escapeHtml(`${row.scenario} [${row.waitPoint}]`)}</a>`
        }</td><td class="num">${row.seed}</td><td class="kinds">${escapeHtml(kinds(row.expected))}</td>` +
        `<td class="kinds">${escapeHtml(kinds(row.found))}</td><td>${escapeHtml(row.error ?? row.reason ?? '')}</td></tr>`,
    ),
    unexpected.length === 0 ? '' : '</tbody></table>',
    '</body></html>',
    '',
  ].join('\n')
}
