import { escapeHtml } from '../escape-html.js'

/** A transaction as a cycle's evidence names it (checkers/elle's `TxnRef`, read back from results.json). */
interface CycleTxn {
  index?: unknown
  process?: unknown
  type?: unknown
  value?: unknown
  node?: unknown
}

/** One edge of a cycle in an anomaly's evidence. */
interface CycleEdge {
  from?: CycleTxn
  to?: CycleTxn
  type?: unknown
  key?: unknown
  value?: unknown
  why?: unknown
}

/**
 * A dependency cycle (an `elle` anomaly's `evidence.cycle`) as a table, edge by edge: which transaction, the kind of
 * edge, the key and element it is about, the next transaction, and why the edge holds. The last row's next
 * transaction is the first row's: the table is the cycle. Anything else gives an empty string.
 */
export function cycleTable(evidence: unknown): string {
  const cycle = (evidence as { cycle?: unknown } | null | undefined)?.cycle
  if (!Array.isArray(cycle) || cycle.length === 0) return ''
  const rows = (cycle as CycleEdge[]).map(
    (edge, i) =>
      `<tr><td>${i + 1}</td><td>${txnCell(edge.from)}</td><td class="edge">${text(edge.type)}</td>` +
      `<td>${text(edge.key)}</td><td>${text(edge.value)}</td><td>${txnCell(edge.to)}</td><td>${text(edge.why)}</td></tr>`,
  )
  return (
    '<table class="cycle"><tr><th></th><th>transaction</th><th>edge</th><th>key</th><th>element</th>' +
    `<th>then</th><th>why</th></tr>${rows.join('')}</table>`
  )
}

function txnCell(txn: CycleTxn | undefined): string {
  if (txn === undefined) return ''
  const where = `op ${text(txn.index)}, process ${text(txn.process)}${txn.node === undefined ? '' : ` on ${text(txn.node)}`}`
  return `${where} (${text(txn.type)})<br><code>${escapeHtml(JSON.stringify(txn.value ?? null))}</code>`
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : escapeHtml(String(value))
}
