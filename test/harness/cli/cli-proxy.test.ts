import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Toxiproxy } from 'toxiproxy-node-client'
import { describe, expect, it } from 'vitest'
import { startEchoServer } from '../../toxiproxy/support/tcp-peers.js'

const root = join(fileURLToPath(new URL('.', import.meta.url)), '../../..')

/** Sends `bytes` through `port` and resolves with what came back once as many bytes have. */
function echoed(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(bytes))
    const chunks: Buffer[] = []
    let length = 0
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      length += chunk.length
      if (length >= bytes.length) {
        socket.destroy()
        resolve(Buffer.concat(chunks))
      }
    })
    socket.on('error', reject)
  })
}

describe('semisync-chaos proxy', () => {
  it('serves the API with a poll window, forwards bytes intact, and closes on SIGTERM with exit 0', async () => {
    const echo = await startEchoServer()
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'harness/cli/bin.ts'), 'proxy', '--port', '0', '--poll-window-us', '200'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
      const first = String((await lines.next()).value)
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(first)?.[1]
      expect(url, first).toBeDefined()
      const proxy = await new Toxiproxy(url!).createProxy({
        name: 'echo',
        listen: '127.0.0.1:0',
        upstream: echo.address,
      })
      const port = Number(proxy.listen.split(':').pop())
      // Small round trips (each answered inside the window) and one large transfer (many chunks, back-pressure).
      for (let i = 0; i < 50; i++) expect((await echoed(port, Buffer.from(`ping ${i}`))).toString()).toBe(`ping ${i}`)
      const large = Buffer.from(Array.from({ length: 4 << 20 }, (_, i) => (i * 31) & 0xff))
      expect((await echoed(port, large)).equals(large)).toBe(true)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(String((await lines.next()).value)).toMatch(/SIGTERM: closing the proxies/)
    } finally {
      child.kill('SIGKILL')
      await echo.close()
    }
  }, 60_000)
})
