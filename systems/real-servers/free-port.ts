import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now. Drawn at random below the kernel's ephemeral range, so
 * the outgoing connections of every process on the machine (which take ports from that range) cannot take it between
 * now and the bind; concurrent runs draw from thousands of ports, and whoever binds late retries (the caller's part).
 */
export async function freePort(): Promise<number> {
  const [low, high] = candidateRange()
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(low, high + 1)
    if (await canBind(port)) return port
  }
  throw new Error(`no free port on 127.0.0.1 between ${low} and ${high} after 100 tries`)
}

/** The ports to draw from: below the ephemeral range, above the well-known and registered-by-convention ones. */
function candidateRange(): [number, number] {
  let ephemeralLow = 32768
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    if (low !== undefined && Number.isInteger(low)) ephemeralLow = low
  } catch {
    // not Linux: keep the usual default
  }
  return ephemeralLow > 15_000 ? [10_000, ephemeralLow - 1] : [ephemeralLow, 65_535]
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** How often a proxy or server start is tried on a fresh port when its port was taken meanwhile. */
export const BIND_ATTEMPTS = 4

/** Whether an error says a port was taken between the draw and the bind. */
export function isPortTaken(message: string): boolean {
  return /address already in use|EADDRINUSE|Bind on TCP\/IP port/i.test(message)
}
