import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'

/** How a socket ended, and when (performance.now() ms). */
export interface SocketEnd {
  /** 'end' for a FIN, otherwise the error code (ECONNRESET, ...), or 'close' for a close with neither. */
  readonly how: string
  readonly at: number
}

/** Watches a socket: everything it reads, how many reads, and how it ends. */
export class SocketWatch {
  readonly chunks: Buffer[] = []
  received = 0
  /** The first end seen: a FIN ('end'), an error code (a reset), or a bare 'close'. */
  readonly ended: Promise<SocketEnd>
  private waiters: Array<{ bytes: number; resolve: () => void }> = []

  constructor(readonly socket: Socket) {
    let firstEnd: SocketEnd | null = null
    let resolveEnded: (end: SocketEnd) => void = () => {}
    this.ended = new Promise((resolve) => (resolveEnded = resolve))
    socket.on('data', (data: Buffer) => {
      this.chunks.push(data)
      this.received += data.length
      this.waiters = this.waiters.filter((waiter) => (this.received >= waiter.bytes ? (waiter.resolve(), false) : true))
    })
    const end = (how: string): void => {
      firstEnd ??= { how, at: performance.now() }
      resolveEnded(firstEnd)
    }
    socket.on('end', () => end('end'))
    socket.on('error', (error: NodeJS.ErrnoException) => end(error.code ?? error.message))
    socket.on('close', () => end('close'))
  }

  get data(): Buffer {
    return Buffer.concat(this.chunks)
  }

  text(): string {
    return this.data.toString()
  }

  /** Resolves once `bytes` bytes in total have been read; rejects after `timeoutMs`. */
  waitForBytes(bytes: number, timeoutMs = 5000): Promise<Buffer> {
    if (this.received >= bytes) return Promise.resolve(this.data)
    return within(
      new Promise<void>((resolve) => this.waiters.push({ bytes, resolve })).then(() => this.data),
      timeoutMs,
      `waiting for ${bytes} bytes (have ${this.received})`,
    )
  }

  endedWithin(timeoutMs: number): Promise<SocketEnd> {
    return within(this.ended, timeoutMs, 'waiting for the socket to close')
  }
}

export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms ${what}`)), timeoutMs)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1))
}

/** Connects with TCP_NODELAY and resolves once connected. */
export async function connectTo(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true })
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  return socket
}

export async function connectWatched(port: number): Promise<SocketWatch> {
  return new SocketWatch(await connectTo(port))
}

/** Resolves with the error code if connecting fails (ECONNREFUSED), or 'connected'. */
export async function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
  })
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}
