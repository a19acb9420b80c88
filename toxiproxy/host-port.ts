/**
 * Go's net.SplitHostPort and port parsing, with Go's error texts (`address bad: missing port in address`), so listen
 * failures read like Toxiproxy's.
 */
export class AddressError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AddressError'
  }
}

export function splitHostPort(hostport: string): { host: string; port: string } {
  const fail = (why: string): never => {
    throw new AddressError(`address ${hostport}: ${why}`)
  }
  const lastColon = hostport.lastIndexOf(':')
  if (lastColon < 0) fail('missing port in address')
  let host: string
  let afterOpen = 0
  let afterClose = 0
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']')
    if (close < 0) fail("missing ']' in address")
    if (close + 1 === hostport.length) fail('missing port in address')
    if (close + 1 !== lastColon)
      fail(hostport[close + 1] === ':' ? 'too many colons in address' : 'missing port in address')
    host = hostport.slice(1, close)
    afterOpen = 1
    afterClose = close + 1
  } else {
    host = hostport.slice(0, lastColon)
    if (host.includes(':')) fail('too many colons in address')
  }
  if (hostport.slice(afterOpen).includes('[')) fail("unexpected '[' in address")
  if (hostport.slice(afterClose).includes(']')) fail("unexpected ']' in address")
  return { host, port: hostport.slice(lastColon + 1) }
}

/** A TCP port as Go's resolver reads it: empty means 0; service names are not supported here. */
export function parsePort(port: string): number {
  if (port === '') return 0
  if (!/^\d+$/.test(port)) throw new AddressError(`lookup tcp/${port}: unknown port`)
  const value = Number(port)
  if (value > 65535) throw new AddressError(`address ${port}: invalid port`)
  return value
}

export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
