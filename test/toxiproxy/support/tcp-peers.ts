import { createServer, type Server, type Socket } from 'node:net'
import { listen, SocketWatch, within } from './sockets.js'

/** A TCP server on 127.0.0.1 that the tests start as a proxy's upstream. */
export interface Upstream {
  readonly port: number
  /** `127.0.0.1:<port>`, for a proxy's `upstream`. */
  readonly address: string
  close(): Promise<void>
}

/** Echoes every byte back on the same connection (half-open allowed, so it never closes first). */
export async function startEchoServer(): Promise<Upstream & { readonly connections: Set<Socket> }> {
  const connections = new Set<Socket>()
  const server = createServer({ noDelay: true }, (socket) => {
    connections.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => connections.delete(socket))
    socket.pipe(socket)
  })
  return withClose(server, await listen(server), { connections })
}

export interface RecordingServer extends Upstream {
  /** The next connection the server accepted (waits for it). */
  nextConnection(timeoutMs?: number): Promise<SocketWatch>
}

/** Records each accepted connection (its bytes and how it ended) for the test to inspect. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const accepted: SocketWatch[] = []
  const waiting: Array<(watch: SocketWatch) => void> = []
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    const watch = new SocketWatch(socket)
    const waiter = waiting.shift()
    if (waiter) waiter(watch)
    else accepted.push(watch)
  })
  return withClose<Pick<RecordingServer, 'nextConnection'>>(server, await listen(server), {
    nextConnection: (timeoutMs = 5000) => {
      const ready = accepted.shift()
      if (ready) return Promise.resolve(ready)
      return within(
        new Promise<SocketWatch>((resolve) => waiting.push(resolve)),
        timeoutMs,
        'waiting for a connection upstream',
      )
    },
  })
}

function withClose<T extends object>(server: Server, port: number, extra: T): Upstream & T {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return Object.assign(extra, {
    port,
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  })
}
