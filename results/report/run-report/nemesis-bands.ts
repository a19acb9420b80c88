import type { Op } from '../../../core/history/op.js'

/** The class of a fault, as the report colours it. */
export type BandKind = 'kill' | 'pause' | 'partition' | 'latency' | 'applier' | 'load'

/** One fault while it was in effect: from the info of its start to the info of its heal (or the end of the run). */
export interface NemesisBand {
  kind: BandKind
  /** Nanoseconds since the run started. */
  startNs: number
  endNs: number
  label: string
  /** True when the run ended with the fault still in effect. */
  open: boolean
}

/** A failover as the report draws it: a vertical line at its completion. */
export interface FailoverMark {
  timeNs: number
  from: string | null
  to: string | null
  policy: string | null
  error: string | null
}

interface OpenBand {
  kind: BandKind
  startNs: number
  label: string
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const names = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : isRecord(v) ? Object.keys(v) : []

/**
 * Reads the nemesis's completions into the intervals its faults were in effect. A fault starts at its `info` (when it
 * took effect) and ends at the `info` of the action that undid it: `start` (the nodes it restarted), `resume`, `heal`,
 * `clear-latency`, `resume-applier`/`restore-applier`, `load` back to the configured rate. Failed and skipped actions
 * change nothing; what is still open when the history ends is closed there and marked open.
 */
export function nemesisBands(history: readonly Op[]): { bands: NemesisBand[]; failovers: FailoverMark[] } {
  const open = new Map<string, OpenBand>()
  const bands: NemesisBand[] = []
  const failovers: FailoverMark[] = []
  const begin = (key: string, kind: BandKind, startNs: number, label: string): void => {
    if (!open.has(key)) open.set(key, { kind, startNs, label })
  }
  const end = (key: string, endNs: number): void => {
    const band = open.get(key)
    if (!band) return
    open.delete(key)
    bands.push({ ...band, endNs, open: false })
  }
  const endAll = (prefix: string, endNs: number): void => {
    for (const key of [...open.keys()]) if (key.startsWith(prefix)) end(key, endNs)
  }
  let lastNs = 0
  for (const op of history) {
    lastNs = Math.max(lastNs, op.time)
    if (op.process !== 'nemesis' || op.type !== 'info' || op.error !== undefined) continue
    const v = op.value
    if (isRecord(v) && 'skipped' in v) continue
    const t = op.time
    switch (op.f) {
      case 'kill':
        if (typeof v === 'string') begin(`kill:${v}`, 'kill', t, `kill ${v}`)
        break
      case 'start':
        for (const node of names(v)) end(`kill:${node}`, t)
        break
      case 'pause':
        if (typeof v === 'string') begin(`pause:${v}`, 'pause', t, `pause ${v}`)
        break
      case 'resume':
        for (const node of names(v)) end(`pause:${node}`, t)
        break
      case 'partition': {
        const cut = isRecord(v) && Array.isArray(v.cut) ? v.cut.join(' ') : ''
        begin('partition', 'partition', t, `partition ${cut}`.trim())
        break
      }
      case 'heal':
        end('partition', t)
        break
      case 'latency': {
        const mean = isRecord(v) && typeof v.meanMs === 'number' ? ` ${v.meanMs} ms` : ''
        begin('latency', 'latency', t, `latency${mean}`)
        break
      }
      case 'clear-latency':
        end('latency', t)
        break
      case 'stall-applier':
        if (typeof v === 'string') begin(`applier:${v}`, 'applier', t, `stalled applier ${v}`)
        break
      case 'slow-applier':
        if (isRecord(v) && typeof v.node === 'string')
          begin(`applier:${v.node}`, 'applier', t, `slow applier ${v.node}`)
        break
      case 'resume-applier':
      case 'restore-applier':
        // A replica promoted meanwhile is left out of the value, but its stall ended all the same.
        endAll('applier:', t)
        break
      case 'load':
        if (isRecord(v) && typeof v.opsPerSecond === 'number') begin('load', 'load', t, `load ${v.opsPerSecond} ops/s`)
        else end('load', t)
        break
      case 'failover':
        failovers.push({
          timeNs: t,
          from: isRecord(v) && typeof v.from === 'string' ? v.from : null,
          to: isRecord(v) && typeof v.to === 'string' ? v.to : null,
          policy: isRecord(v) && typeof v.policy === 'string' ? v.policy : null,
          error: isRecord(v) && typeof v.error === 'string' ? v.error : null,
        })
        break
    }
  }
  for (const band of open.values()) bands.push({ ...band, endNs: lastNs, open: true })
  bands.sort((a, b) => a.startNs - b.startNs || a.kind.localeCompare(b.kind))
  return { bands, failovers }
}
