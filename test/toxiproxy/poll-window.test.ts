import { describe, expect, it } from 'vitest'
import { PollWindow } from '../../toxiproxy/poll-window.js'
import { startToxiproxyServer } from '../../toxiproxy/toxiproxy-server.js'
import { callJson, createRawProxy } from './support/raw-api.js'
import { connectWatched } from './support/sockets.js'
import { startEchoServer } from './support/tcp-peers.js'

/** Resolves once `condition` holds, checking at each turn of the event loop; fails after `withinMs`. */
async function until(condition: () => boolean, withinMs: number): Promise<void> {
  const start = performance.now()
  while (!condition()) {
    if (performance.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

/** One turn of the event loop (an immediate queued after the window's own). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('PollWindow: the event loop keeps polling a moment after bytes move', () => {
  it('turns after a touch and stops once a whole window passes without one', async () => {
    const window = new PollWindow(2)
    expect(window.polling).toBe(false)
    window.touch()
    expect(window.polling).toBe(true)
    await until(() => !window.polling, 2000)
  })

  it('keeps turning for as long as bytes keep moving, however long that is', async () => {
    const window = new PollWindow(2)
    const started = performance.now()
    window.touch()
    // Touching at every turn: each of the window's turns sees movement since its last, whatever the machine's load.
    while (performance.now() - started < 20) {
      window.touch()
      await nextTurn()
      expect(window.polling).toBe(true)
    }
    await until(() => !window.polling, 2000)
  })

  it('a window of 0 never turns (the default: the loop sleeps as soon as it is idle)', async () => {
    const window = new PollWindow(0)
    window.touch()
    expect(window.polling).toBe(false)
    await nextTurn()
    expect(window.polling).toBe(false)
  })

  it('does not open while the CPUs are oversubscribed, and opens again once they are not', async () => {
    let contended = true
    const window = new PollWindow(60_000, () => contended)
    window.touch()
    expect(window.polling).toBe(false)
    contended = false
    window.touch()
    expect(window.polling).toBe(true)
    // Oversubscribed while open: it closes at its next turn, however long the window.
    contended = true
    await until(() => !window.polling, 2000)
  })

  it('stop() ends the turning at the next turn and later touches do not start it again', async () => {
    const window = new PollWindow(60_000)
    window.touch()
    expect(window.polling).toBe(true)
    window.stop()
    await until(() => !window.polling, 2000)
    window.touch()
    expect(window.polling).toBe(false)
  })

  it('a server with a window forwards through a latency toxic intact, in order, and no sooner than the toxic allows', async () => {
    const server = await startToxiproxyServer({ port: 0, pollWindowUs: 200 })
    const echo = await startEchoServer()
    try {
      const port = await createRawProxy(server.url, echo.address, 'echo')
      await callJson(server.url, 'POST', '/proxies/echo/toxics', {
        type: 'latency',
        stream: 'downstream',
        attributes: { latency: 20, jitter: 0 },
      })
      const peer = await connectWatched(port)
      const sent = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7) & 0xff))
      const started = performance.now()
      for (let at = 0; at < sent.length; at += 4096) peer.socket.write(sent.subarray(at, at + 4096))
      const back = await peer.waitForBytes(sent.length, 10_000)
      expect(back.equals(sent)).toBe(true)
      expect(performance.now() - started).toBeGreaterThanOrEqual(20)
      peer.socket.destroy()
    } finally {
      await server.close()
      await echo.close()
    }
  })
})
