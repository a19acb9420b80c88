import type { StatusSample } from '../core/semisync/status-sample.js'
import type { Anomaly } from './checker.js'

/**
 * Adds to each `lost-acked-write` what the primary's `Rpl_semi_sync_master_status` read at the last sample before the
 * acknowledgement: `OFF` means the write was acked in the silent fallback to async (expected to be losable), `ON`
 * means semi-sync claimed to be on (on MariaDB with wait_no_slave=OFF that still does not prove an ack).
 */
export function annotateSemiSyncAtAck(anomalies: readonly Anomaly[], samples: readonly StatusSample[]): Anomaly[] {
  const byNode = new Map<string, StatusSample[]>()
  for (const s of samples) {
    if (s.status === undefined) continue
    const list = byNode.get(s.node)
    if (list) list.push(s)
    else byNode.set(s.node, [s])
  }
  return anomalies.map((anomaly) => {
    if (anomaly.kind !== 'lost-acked-write') return anomaly
    const node = anomaly.evidence.node
    const okTime = anomaly.evidence.okTime
    if (typeof node !== 'string' || typeof okTime !== 'number') return anomaly
    const list = byNode.get(node) ?? []
    let last: StatusSample | undefined
    for (const s of list) {
      if (s.time > okTime) break
      last = s
    }
    const semiSyncAtAck = last ? { status: last.status, clients: last.clients, sampledAt: last.time } : 'unknown'
    const word = last
      ? `semi-sync was ${last.status} (${last.clients} client(s)) just before the ack`
      : 'semi-sync status at the ack unknown'
    return { ...anomaly, message: `${anomaly.message}; ${word}`, evidence: { ...anomaly.evidence, semiSyncAtAck } }
  })
}
