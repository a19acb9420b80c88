import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { AddressError, joinHostPort, parsePort, splitHostPort } from './host-port.js'

/** Every proxy listener (and the API) binds here: a test tool's proxies must not be reachable from other machines. */
export const PROXY_HOST = '127.0.0.1'

/** Hosts that mean "this machine" or "any interface": accepted, and bound as 127.0.0.1. */
const LOOPBACK_OR_WILDCARD = new Set(['', 'localhost', '127.0.0.1', '::1', '0.0.0.0', '::'])

export interface ListenAddress {
  readonly port: number
  /** `127.0.0.1:<port>`: what Toxiproxy would report as the resolved listen address. */
  readonly text: string
}

/**
 * Resolves a proxy's `listen` the way Toxiproxy does (net.ResolveTCPAddr), then applies the embedded server's policy:
 * a loopback or wildcard host (`localhost:0`, `0.0.0.0:8666` as the testcontainers module sends, `:3310`) is rewritten
 * to 127.0.0.1, and any other host is refused with a listen error (HTTP 500), so nothing listens beyond loopback.
 */
export async function resolveListenAddress(listen: string): Promise<ListenAddress> {
  let host = ''
  let portText = ''
  try {
    // Go's net.Listen("tcp", "") listens on a free port of every interface.
    if (listen !== '') ({ host, port: portText } = splitHostPort(listen))
  } catch (error) {
    throw new Error(`listen tcp: ${(error as Error).message}`)
  }
  let port: number
  try {
    port = parsePort(portText)
  } catch (error) {
    throw new Error(`listen tcp: ${(error as AddressError).message}`)
  }
  if (!(await isLoopbackOrWildcard(host))) {
    const hint = 'use 127.0.0.1, localhost, 0.0.0.0 or an empty host'
    throw new Error(`listen tcp ${joinHostPort(host, port)}: this proxy listens on ${PROXY_HOST} only (${hint})`)
  }
  return { port, text: joinHostPort(PROXY_HOST, port) }
}

async function isLoopbackOrWildcard(host: string): Promise<boolean> {
  if (LOOPBACK_OR_WILDCARD.has(host.toLowerCase())) return true
  if (isIP(host) !== 0) return false
  let addresses: Array<{ address: string }>
  try {
    addresses = await lookup(host, { all: true })
  } catch {
    throw new Error(`listen tcp: lookup ${host}: no such host`)
  }
  return addresses.some(({ address }) => address === '::1' || address.startsWith('127.'))
}
