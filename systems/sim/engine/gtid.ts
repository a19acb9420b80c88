/** A MariaDB-style GTID `domain-server-seq`. The engine uses one replication domain (0). */
export interface Gtid {
  readonly domain: number
  readonly serverId: number
  readonly seq: number
}

export const NO_GTID: Gtid = { domain: 0, serverId: 0, seq: 0 }

export function formatGtid(gtid: Gtid): string {
  return gtid.seq === 0 ? '' : `${gtid.domain}-${gtid.serverId}-${gtid.seq}`
}

export function sameGtid(a: Gtid, b: Gtid): boolean {
  return a.domain === b.domain && a.serverId === b.serverId && a.seq === b.seq
}
