/**
 * When a run started, read from its run id (`20261121T131500.123Z-s42`: the UTC time `newRunFolder` stamps, then the
 * seed), in milliseconds since the epoch; null when the id does not start with such a time.
 */
export function runIdTime(runId: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d{1,3})?Z(?:-|$)/.exec(runId)
  if (m === null) return null
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`
  const time = Date.parse(iso)
  // Date.parse rolls some impossible dates over (Feb 30 → Mar 2); a real stamp reads back the same.
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 19) !== iso.slice(0, 19) ? null : time
}
