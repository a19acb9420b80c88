/**
 * The text of a container's log as the engine returns it without a TTY: frames of an 8-byte header (stream type,
 * three zero bytes, big-endian length) and that many bytes, stdout and stderr interleaved in the order written.
 * Anything that is not framed (an engine that sends plain text) is returned as it is.
 */
export function demultiplexLog(raw: Buffer): string {
  const parts: Buffer[] = []
  let offset = 0
  while (offset + 8 <= raw.length) {
    const stream = raw[offset] as number
    if (stream > 2 || raw[offset + 1] !== 0 || raw[offset + 2] !== 0 || raw[offset + 3] !== 0) {
      return raw.toString('utf8')
    }
    const length = raw.readUInt32BE(offset + 4)
    parts.push(raw.subarray(offset + 8, offset + 8 + length))
    offset += 8 + length
  }
  if (offset < raw.length) parts.push(raw.subarray(offset))
  return Buffer.concat(parts).toString('utf8')
}
