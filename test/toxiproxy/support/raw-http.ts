import { connect, type Socket } from 'node:net'
import { within } from './sockets.js'

/** One HTTP/1.1 response as read off the wire. */
export interface WireResponse {
  readonly status: number
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * One keep-alive TCP connection to the API, written and read byte by byte. fetch and http.Agent hide which connection a
 * request went over and how a connection ended; these tests are about exactly that.
 */
export class WireConnection {
  private buffer = Buffer.alloc(0)
  private ended = false
  private wake: (() => void) | null = null

  private constructor(private readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, data])
      this.notify()
    })
    const end = (): void => {
      this.ended = true
      this.notify()
    }
    socket.on('end', end)
    socket.on('close', end)
    // A reset shows up as an end with whatever was read so far; next() then reports a partial response.
    socket.on('error', end)
  }

  static async open(port: number): Promise<WireConnection> {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true })
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
    return new WireConnection(socket)
  }

  /** True once the server closed the connection (FIN or reset). */
  get closed(): boolean {
    return this.ended
  }

  /** Writes raw bytes: a request head, a body, or both. Resolves once the socket has taken them. */
  async write(data: string | Buffer): Promise<void> {
    if (this.socket.destroyed) return
    await new Promise<void>((resolve) => this.socket.write(data, () => resolve()))
  }

  /**
   * The next complete response, or 'closed' if the server closed the connection before sending any byte of one. A
   * response cut short by the close is an error: the client would have lost it. `timeoutMs` only bounds a hang.
   */
  async next(timeoutMs = 20_000): Promise<WireResponse | 'closed'> {
    return within(this.readResponse(), timeoutMs, 'waiting for an HTTP response')
  }

  destroy(): void {
    this.socket.destroy()
  }

  private async readResponse(): Promise<WireResponse | 'closed'> {
    for (;;) {
      const parsed = this.parse()
      if (parsed !== null) return parsed
      if (this.ended) {
        if (this.buffer.length === 0) return 'closed'
        throw new Error(`connection closed mid-response after ${this.buffer.length} bytes: ${this.preview()}`)
      }
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }

  /** Takes one response off the buffer if it is all there. */
  private parse(): WireResponse | null {
    const headEnd = this.buffer.indexOf('\r\n\r\n')
    if (headEnd < 0) return null
    const [statusLine = '', ...lines] = this.buffer.subarray(0, headEnd).toString('latin1').split('\r\n')
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const colon = line.indexOf(':')
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    const framed = this.body(headEnd + 4, headers)
    if (framed === null) return null
    this.buffer = this.buffer.subarray(framed.end)
    return { status: Number(statusLine.split(' ')[1]), headers, body: framed.body.toString('utf8') }
  }

  /** The body starting at `start`, framed by Content-Length, chunked encoding, or the close; null while incomplete. */
  private body(start: number, headers: Record<string, string>): { body: Buffer; end: number } | null {
    const length = headers['content-length']
    if (length !== undefined) {
      const end = start + Number(length)
      return this.buffer.length < end ? null : { body: this.buffer.subarray(start, end), end }
    }
    if (headers['transfer-encoding'] === 'chunked') {
      const parts: Buffer[] = []
      let at = start
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at)
        if (lineEnd < 0) return null
        const size = parseInt(this.buffer.subarray(at, lineEnd).toString('latin1'), 16)
        const dataEnd = lineEnd + 2 + size
        if (this.buffer.length < dataEnd + 2) return null
        parts.push(this.buffer.subarray(lineEnd + 2, dataEnd))
        at = dataEnd + 2
        if (size === 0) return { body: Buffer.concat(parts), end: at }
      }
    }
    return this.ended ? { body: this.buffer.subarray(start), end: this.buffer.length } : null
  }

  private notify(): void {
    const wake = this.wake
    this.wake = null
    wake?.()
  }

  private preview(): string {
    return JSON.stringify(this.buffer.subarray(0, 200).toString('latin1'))
  }
}

/** A request head for `method path` with the given extra header lines (no body framing unless given). */
export function requestHead(method: string, path: string, headers: Record<string, string | number> = {}): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1']
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  return `${lines.join('\r\n')}\r\n\r\n`
}
