/**
 * The sequence number of replication domain 0 in a MariaDB GTID position such as `0-1-13,1-2-7` (the harness uses one
 * domain); 0 when the position is empty or has no domain-0 GTID.
 */
export function domainZeroSeq(position: string | null | undefined): number {
  if (!position) return 0
  for (const gtid of position.split(',')) {
    const [domain, , seq] = gtid.trim().split('-')
    if (domain === '0' && seq !== undefined) return Number(seq)
  }
  return 0
}

/** The domain-0 GTID itself (`0-1-13`), or '' when there is none. */
export function domainZeroGtid(position: string | null | undefined): string {
  if (!position) return ''
  return (
    position
      .split(',')
      .map((g) => g.trim())
      .find((g) => g.startsWith('0-')) ?? ''
  )
}
