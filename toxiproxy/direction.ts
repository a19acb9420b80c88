/** `upstream` carries client → server bytes, `downstream` server → client (Toxiproxy's "stream"). */
export type Direction = 'upstream' | 'downstream'

export const DIRECTIONS: readonly Direction[] = ['upstream', 'downstream']

/** Toxiproxy parses the stream case-insensitively (`"Upstream"` is accepted) and rejects anything else. */
export function parseDirection(stream: string): Direction | null {
  const lower = stream.toLowerCase()
  return lower === 'upstream' || lower === 'downstream' ? lower : null
}
