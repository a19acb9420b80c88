import { randomBytes } from 'node:crypto'

/**
 * Request ids in the format Toxiproxy's zerolog/hlog middleware sends in `X-Toxiproxy-Request-Id`: an xid, i.e. 12
 * bytes (4 of Unix seconds, 3 of machine id, 2 of pid, 3 of counter) in lowercase base32hex, 20 characters.
 */
const BASE32HEX = '0123456789abcdefghijklmnopqrstuv'
const machine = randomBytes(3)
let counter = randomBytes(3).readUIntBE(0, 3)

export function nextRequestId(nowMs = Date.now()): string {
  const bytes = Buffer.alloc(12)
  bytes.writeUInt32BE(Math.floor(nowMs / 1000) >>> 0, 0)
  machine.copy(bytes, 4)
  bytes.writeUInt16BE(process.pid & 0xffff, 7)
  counter = (counter + 1) & 0xffffff
  bytes.writeUIntBE(counter, 9, 3)
  return encodeBase32Hex(bytes)
}

function encodeBase32Hex(bytes: Buffer): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31]
  return out
}
