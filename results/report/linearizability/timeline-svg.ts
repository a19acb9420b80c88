import type { Op } from '../../../core/history/op.js'
import { escapeHtml } from '../escape-html.js'
import type { KeyFailure, OpRef, PrefixStep, StuckOp } from '../../../checkers/linearizability/types.js'

/** The timeline shows the end of the prefix: this many steps, plus every stuck op. */
export const MAX_TIMELINE_STEPS = 40

const WIDTH = 1000
const LABEL_WIDTH = 110
const RIGHT_MARGIN = 60
const ROW_HEIGHT = 34
const TOP = 30
const BAR_HEIGHT = 18

type Shown = { ref: OpRef; step: PrefixStep | null; stuck: StuckOp | null }

/**
 * An SVG timeline of one failure's ops: one row per process, a bar from invocation to completion (to the right edge,
 * dashed, for ops that never completed or ended info), the prefix's linearization points numbered and joined in
 * order, and the stuck ops in red (solid: must take effect; hatched outline: may).
 */
export function timelineSvg(failure: KeyFailure, opsByIndex: ReadonlyMap<number, Op>): string {
  const steps = failure.prefix.slice(-MAX_TIMELINE_STEPS)
  const shown: Shown[] = [
    ...steps.map((step) => ({ ref: step as OpRef, step, stuck: null })),
    ...failure.stuck.map((stuck) => ({ ref: stuck as OpRef, step: null, stuck })),
  ]
  const processes = [...new Set(shown.map((s) => s.ref.process))].sort((a, b) => a - b)
  const row = new Map(processes.map((p, i) => [p, i]))
  const times = shown.flatMap((s) => [s.ref.invokeTime, s.ref.completeTime ?? s.ref.invokeTime])
  const t0 = Math.min(...times)
  const t1 = Math.max(...times, t0 + 1)
  const plotRight = WIDTH - RIGHT_MARGIN
  const x = (t: number): number => LABEL_WIDTH + ((t - t0) / (t1 - t0)) * (plotRight - LABEL_WIDTH)
  const y = (process: number): number => TOP + (row.get(process) ?? 0) * ROW_HEIGHT
  const height = TOP + processes.length * ROW_HEIGHT + 30

  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
      `role="img" aria-label="${escapeHtml(`timeline of ${shown.length} operations`)}">`,
  )
  parts.push(
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
      '<rect width="3" height="6" fill="#f3b4b4"/></pattern></defs>',
  )
  processes.forEach((p) => {
    const top = y(p)
    parts.push(
      `<line class="lane" x1="${LABEL_WIDTH}" x2="${WIDTH}" y1="${top + ROW_HEIGHT - 4}" y2="${top + ROW_HEIGHT - 4}"/>`,
    )
    parts.push(`<text class="proc" x="8" y="${top + BAR_HEIGHT}">${escapeHtml(`process ${p}`)}</text>`)
  })
  for (const s of shown) parts.push(bar(s, x, y, opsByIndex))
  // The order of the prefix: its linearization points joined up.
  const points = steps.map(
    (step) => `${x(step.linearizedAt).toFixed(1)},${(y(step.process) + BAR_HEIGHT / 2 + 4).toFixed(1)}`,
  )
  if (points.length > 1) parts.push(`<polyline class="order" points="${points.join(' ')}"/>`)
  for (const step of steps) {
    const cx = x(step.linearizedAt)
    const cy = y(step.process) + BAR_HEIGHT / 2 + 4
    parts.push(
      `<g class="point"><title>${escapeHtml(`#${step.position}: op ${step.invokeIndex} (${step.label}) takes effect here; ` + `state after: ${JSON.stringify(step.stateAfter)}`)}</title>` +
        `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4"/>` +
        `<text x="${cx.toFixed(1)}" y="${(cy - 7).toFixed(1)}">${step.position}</text></g>`,
    )
  }
  parts.push(`<text class="axis" x="${LABEL_WIDTH}" y="${height - 8}">${escapeHtml(formatTime(t0))}</text>`)
  parts.push(
    `<text class="axis" x="${plotRight}" y="${height - 8}" text-anchor="end">${escapeHtml(formatTime(t1))}</text>`,
  )
  parts.push('</svg>')
  return parts.join('\n')
}

function bar(
  s: Shown,
  x: (t: number) => number,
  y: (p: number) => number,
  opsByIndex: ReadonlyMap<number, Op>,
): string {
  const { ref } = s
  const open = ref.completeTime === null || ref.outcome !== 'ok'
  const left = x(ref.invokeTime)
  // An info op may take effect at any time after its invocation: its bar runs off the right edge.
  const right = open || ref.completeTime === null ? WIDTH - 4 : Math.max(x(ref.completeTime), left + 3)
  const top = y(ref.process) + 4
  const cls = s.stuck !== null ? (s.stuck.required ? 'stuck' : 'stuck optional') : 'prefix'
  const dashed = open ? ' open' : ''
  const width = right - left
  const maxChars = Math.max(0, Math.floor((width - 6) / 6.5))
  const label = ref.label.length <= maxChars ? ref.label : maxChars > 1 ? `${ref.label.slice(0, maxChars - 1)}…` : ''
  return (
    `<g class="op ${cls}${dashed}"><title>${escapeHtml(tooltip(s, opsByIndex))}</title>` +
    `<rect x="${left.toFixed(1)}" y="${top}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3"/>` +
    (label === '' ? '' : `<text x="${(left + 3).toFixed(1)}" y="${top + 13}">${escapeHtml(label)}</text>`) +
    '</g>'
  )
}

function tooltip(s: Shown, opsByIndex: ReadonlyMap<number, Op>): string {
  const { ref } = s
  const invoke = opsByIndex.get(ref.invokeIndex)
  const completion = ref.completeIndex === null ? undefined : opsByIndex.get(ref.completeIndex)
  const lines = [
    `op ${ref.invokeIndex}: process ${ref.process}, ${ref.label}`,
    `invoked at index ${ref.invokeIndex} (${formatTime(ref.invokeTime)})`,
    ref.completeIndex === null
      ? 'never completed (may take effect at any time after its invocation, or never)'
      : `${ref.outcome} at index ${ref.completeIndex} (${formatTime(ref.completeTime ?? 0)})`,
  ]
  const node = completion?.node ?? invoke?.node
  if (node !== undefined) lines.push(`node ${node}`)
  if (completion?.error !== undefined) lines.push(`error: ${completion.error}`)
  if (s.step !== null)
    lines.push(`#${s.step.position} of the prefix; state after: ${JSON.stringify(s.step.stateAfter)}`)
  if (s.stuck !== null) lines.push(`cannot take effect next: ${s.stuck.reason}`)
  return lines.join('\n')
}

/** History times are nanoseconds since the run started. */
export function formatTime(ns: number): string {
  if (Math.abs(ns) >= 1e9) return `${(ns / 1e9).toFixed(3)} s`
  if (Math.abs(ns) >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`
  return `${(ns / 1e3).toFixed(1)} µs`
}
