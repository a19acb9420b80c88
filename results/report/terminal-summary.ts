import type { Anomaly } from '../../checkers/checker.js'
import type { Op } from '../../core/history/op.js'
import type { RunSummary } from '../store/run-summary.js'

/** What the summary's first line says about the test (a run's config carries all of it). */
export interface RunHeadline {
  name: string
  db: string
  flavor: string
  semiSync: boolean
  waitPoint: string
  nemesis: readonly string[]
  /** An explicit fault schedule (scenarios) replaces the named faults. */
  schedule?: readonly unknown[] | undefined
  seed: number
}

const seconds = (ns: unknown): string => (typeof ns === 'number' ? `${(ns / 1e9).toFixed(3)} s` : '?')

function verdictWord(valid: RunSummary['valid']): string {
  return valid === true ? 'VALID' : valid === false ? 'INVALID' : 'UNKNOWN'
}

/** `verdict: UNKNOWN (why)`: an unknown verdict always shows its reason. */
export function verdictLine(valid: RunSummary['valid'], reason?: string): string {
  return `verdict: ${verdictWord(valid)}${valid === 'unknown' ? ` (${reason ?? 'no reason given'})` : ''}`
}

/** Counts of client completions by type. */
export function completionCounts(history: readonly Op[]): Record<'ok' | 'fail' | 'info', number> {
  const counts = { ok: 0, fail: 0, info: 0 }
  for (const op of history) if (typeof op.process === 'number' && op.type !== 'invoke') counts[op.type]++
  return counts
}

/** One line per anomaly kind: how many, and the first one's own message. */
export function anomalyLines(anomalies: readonly Anomaly[]): string[] {
  const byKind = new Map<string, Anomaly[]>()
  for (const a of anomalies) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a])
  return [...byKind].map(([kind, list]) => `  ${kind} ×${list.length}: ${list[0]?.message ?? ''}`)
}

/** The short human summary printed after a run. */
export function runSummaryText(
  config: RunHeadline,
  runDir: string | null,
  history: readonly Op[],
  results: RunSummary,
): string {
  const c = completionCounts(history)
  const f = results.figures
  const lines = [
    `semisync-chaos ${config.name}: ${config.db === 'sim' ? `sim (${config.flavor})` : config.db}, ${config.semiSync ? config.waitPoint.toUpperCase() : 'async'}, ` +
      `nemesis ${config.schedule ? 'scenario schedule' : config.nemesis.join(',')}, seed ${config.seed}`,
    `  ${f.clientOps} client ops (ok ${c.ok}, fail ${c.fail}, info ${c.info}); ` +
      (config.db === 'sim'
        ? `${f.simulatedSeconds.toFixed(1)} s simulated in ${f.wallSeconds.toFixed(2)} s`
        : `${f.wallSeconds.toFixed(1)} s`),
    results.overran
      ? `  stopped: the run overran its wall-clock limit of ${results.overran.wallLimitS} s (exit 3)`
      : `  recovery: ${
          results.recovery.recovered
            ? `caught up in ${seconds(results.recovery.waitedNs)}`
            : `not recovered (${Object.entries(results.recovery.lagging)
                .map(([n, why]) => `${n}: ${why}`)
                .join('; ')})`
        }`,
    ...Object.entries(results.recovery.errant ?? {}).map(
      ([node, gtids]) => `  errant transactions on ${node} (the primary lacks them): ${gtids}`,
    ),
    `  ${verdictLine(results.valid, results.reason)}`,
    ...anomalyLines(results.anomalies),
  ]
  if (runDir) lines.push(`  results: ${runDir}`)
  return lines.join('\n')
}
