import type { Op } from '../../../core/history/op.js'
import { escapeHtml } from '../escape-html.js'
import { timelineSvg } from './timeline-svg.js'
import type { KeyFailure, LinearizabilityResult, OpRef } from '../../../checkers/linearizability/types.js'

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1d1d1f; }
h1 { font-size: 20px; } h2 { font-size: 17px; margin-top: 32px; }
.verdict-false { color: #b3261e; } .verdict-true { color: #1b7a3a; } .verdict-unknown { color: #8a6100; }
table { border-collapse: collapse; margin: 8px 0 16px; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 12px/1.4 ui-monospace, monospace; } pre { background: #f7f7f7; padding: 10px; overflow-x: auto; }
svg { border: 1px solid #e3e3e3; background: #fff; margin: 8px 0; }
svg text { font: 11px ui-monospace, monospace; } svg .proc { fill: #444; } svg .axis { fill: #666; }
svg .lane { stroke: #eee; }
svg .op rect { stroke-width: 1.2; } svg .op text { fill: #111; pointer-events: none; }
svg .prefix rect { fill: #cfe0fb; stroke: #3b6fc4; }
svg .stuck rect { fill: #f7c5c5; stroke: #b3261e; stroke-width: 2.4; }
svg .stuck.optional rect { fill: url(#hatch); }
svg .open rect { stroke-dasharray: 5 3; }
svg .order { fill: none; stroke: #888; stroke-width: 1; stroke-dasharray: 2 2; }
svg .point circle { fill: #1d1d1f; } svg .point text { fill: #1d1d1f; font-size: 10px; text-anchor: middle; }
tr.stuck td { background: #fdecec; }
`

/**
 * A self-contained HTML page explaining a linearizability result: the verdict, and for each failing key its message,
 * an inline SVG timeline of the ops involved, the stuck ops and the end of the longest linearizable prefix. Every
 * piece of text from the history is escaped.
 */
export function renderLinearizabilityHtml(result: LinearizabilityResult, history: readonly Op[]): string {
  const opsByIndex = new Map(history.map((op) => [op.index, op]))
  const verdict = result.valid === true ? 'linearizable' : result.valid === false ? 'not linearizable' : 'unknown'
  const body: string[] = [
    `<h1>Linearizability (${escapeHtml(result.model)}): <span class="verdict-${String(result.valid)}">${escapeHtml(verdict)}</span></h1>`,
    `<p>${escapeHtml(
      `${result.keys.total} key(s): ${result.keys.linearizable} linearizable, ${result.keys.nonlinearizable} not, ` +
        `${result.keys.unknown} unknown. ${result.stats.clientOps} client ops (${result.stats.okOps} ok, ` +
        `${result.stats.unknownOps} info or pending, ${result.stats.failOps} fail); checked in ` +
        `${result.stats.elapsedMs.toFixed(0)} ms.`,
    )}</p>`,
  ]
  if (result.reason !== undefined) body.push(`<p>${escapeHtml(result.reason)}</p>`)
  if (result.unknownKeys.length > 0) {
    body.push('<h2>Keys with an unknown verdict</h2><ul>')
    for (const u of result.unknownKeys) body.push(`<li>${escapeHtml(`${keyName(u.key)}: ${u.reason}`)}</li>`)
    body.push('</ul>')
  }
  for (const failure of result.failures) body.push(failureSection(failure, opsByIndex))
  if (result.failuresOmitted > 0) {
    body.push(`<p>${escapeHtml(`${result.failuresOmitted} more non-linearizable key(s) not shown.`)}</p>`)
  }
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(`Linearizability (${result.model}): ${verdict}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n')
}

function failureSection(failure: KeyFailure, opsByIndex: ReadonlyMap<number, Op>): string {
  const parts = [
    `<section><h2>${escapeHtml(keyName(failure.key))}</h2>`,
    `<p>${escapeHtml(failure.message)}</p>`,
    timelineSvg(failure, opsByIndex),
    '<h3>Ops that cannot take effect next</h3>',
    `<p>${escapeHtml(`State at the end of the prefix: ${JSON.stringify(failure.state)}`)}</p>`,
    table(
      ['op', 'process', 'operation', 'invoked', 'completed', 'why not'],
      failure.stuck.map((op) => ({
        cls: 'stuck',
        cells: [
          ...refCells(op),
          `${op.blocking ? 'must go next. ' : op.required ? '' : 'may never happen. '}${op.reason}`,
        ],
      })),
    ),
    `<h3>${escapeHtml(
      `Longest linearizable prefix: ${failure.prefixLength} op(s)` +
        (failure.prefixOmitted > 0 ? ` (the last ${failure.prefix.length} shown)` : ''),
    )}</h3>`,
    `<p>${escapeHtml(`Starting state: ${JSON.stringify(failure.prefixStartState)}`)}</p>`,
    table(
      ['#', 'op', 'process', 'operation', 'invoked', 'completed', 'state after'],
      failure.prefix.map((step) => ({
        cls: '',
        cells: [String(step.position), ...refCells(step), JSON.stringify(step.stateAfter)],
      })),
    ),
    '<details><summary>Plain-text explanation</summary>',
    `<pre>${escapeHtml(failure.explanation)}</pre></details></section>`,
  ]
  return parts.join('\n')
}

function refCells(op: OpRef): string[] {
  const completed = op.completeIndex === null ? 'never' : `${op.outcome} at ${op.completeIndex}`
  return [String(op.invokeIndex), String(op.process), op.label, String(op.invokeIndex), completed]
}

function table(headers: string[], rows: { cls: string; cells: string[] }[]): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`
  const body = rows.map(
    (r) =>
      `<tr${r.cls === '' ? '' : ` class="${r.cls}"`}>${r.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
  )
  return `<table>${head}${body.join('')}</table>`
}

function keyName(key: string | null): string {
  return key === null ? 'History (no keys)' : `Key ${JSON.stringify(key)}`
}
