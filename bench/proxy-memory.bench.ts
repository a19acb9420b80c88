/**
 * Memory of a proxy process while it holds data: the embedded Toxiproxy-compatible server as `semisync-chaos proxy`
 * runs it (the built CLI, `dist/`: `npm run build` first), and with `--real-toxiproxy <binary>` a real Toxiproxy the
 * user built, each in its own process.
 *
 * Two ways to make a proxy hold data, each over `--connections` client connections (default 4) that write as fast as
 * the proxy takes bytes:
 * - **stalled upstream**: the upstream accepts and never reads, so the proxy fills the kernel buffers, then its own;
 * - **latency toxic**: a 60 s latency toxic on the upstream stream of a proxy whose upstream reads everything, so the
 *   proxy keeps what it has read until the toxic lets it go (its queue limit stops reading).
 * Each client stops when a write has waited 2 s for `drain`. Reported: bytes the clients got in, the proxy process's
 * resident set then (VmRSS) and at its peak so far (VmHWM: the latency case runs second), read from /proc, and its RSS
 * before any connection.
 *
 * A third process is a run's own: it loads what a real-server run loads (the run machinery and mysql2), and only then
 * starts the embedded server as `run` does (no poll window). Its "idle" RSS is taken before the server starts, so the
 * difference is what the proxy adds to a run, against the whole process a separate Toxiproxy takes.
 *
 * Run: `node --import tsx bench/proxy-memory.bench.ts [--real-toxiproxy <binary>] [--connections 4]`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { loadavg } from 'node:os'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Toxiproxy } from 'toxiproxy-node-client'
import { startRealToxiproxy } from './real-toxiproxy.js'

const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at < 0 ? undefined : args[at + 1]
}
const realBinary = option('--real-toxiproxy') ?? null
const connections = Number(option('--connections') ?? 4)
const CHUNK = Buffer.alloc(64 * 1024, 0x5a)
const MB = 2 ** 20
const root = fileURLToPath(new URL('..', import.meta.url))

interface ProxyProcess {
  name: string
  process: ChildProcess
  url: string
  /** The process's memory before its proxy started, when it had a life before (a run's process). */
  beforeProxy?: () => { rssMb: number; peakMb: number }
}

async function startEmbedded(): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [`${root}dist/harness/cli/bin.js`, 'proxy', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  for await (const line of lines) {
    const url = /listening on (http:\/\/\S+)/.exec(line)?.[1]
    if (url) return { name: 'embedded (`semisync-chaos proxy`)', process: child, url }
  }
  throw new Error('semisync-chaos proxy printed no URL (is dist/ built?)')
}

/** A process like a real-server run's: the run machinery and mysql2 loaded, then the embedded server started. */
async function startInRunProcess(): Promise<ProxyProcess & { beforeProxy: () => { rssMb: number; peakMb: number } }> {
  const script = [
    `await import(${JSON.stringify(`${root}dist/harness/run/run-test.js`)})`,
    `await import('mysql2/promise')`,
    `console.log('loaded')`,
    `await new Promise((resolve) => process.stdin.once('data', resolve))`,
    `const { startToxiproxyServer } = await import(${JSON.stringify(`${root}dist/toxiproxy/index.js`)})`,
    `const server = await startToxiproxyServer({ port: 0 })`,
    `console.log('listening on ' + server.url)`,
  ].join('\n')
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  if ((await lines.next()).value !== 'loaded') throw new Error('the run-like process did not load (is dist/ built?)')
  await sleep(500)
  const before = memoryOf(child.pid!)
  child.stdin!.write('go\n')
  const url = /listening on (http:\/\/\S+)/.exec(String((await lines.next()).value))?.[1]
  if (!url) throw new Error('the run-like process printed no URL')
  return { name: "embedded in a run's process", process: child, url, beforeProxy: () => before }
}

async function startReal(binary: string): Promise<ProxyProcess> {
  return { name: `real Toxiproxy (${binary})`, ...(await startRealToxiproxy(binary)) }
}

/** kB figures of a process from /proc/<pid>/status. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rssMb: field('VmRSS') / 1024, peakMb: field('VmHWM') / 1024 }
}

/** Writes through `port` on `count` connections until each has waited 2 s for drain; returns the bytes written. */
async function fill(port: number, count: number): Promise<number> {
  const written = await Promise.all(
    Array.from({ length: count }, async () => {
      const socket = connect({ port, host: '127.0.0.1' })
      socket.on('error', () => {})
      await new Promise((resolve) => socket.once('connect', resolve))
      let bytes = 0
      for (;;) {
        bytes += CHUNK.length
        if (socket.write(CHUNK)) continue
        const drained = await Promise.race([
          new Promise<boolean>((resolve) => socket.once('drain', () => resolve(true))),
          sleep(2000).then(() => false),
        ])
        if (!drained) break
      }
      return { socket, bytes }
    }),
  )
  const total = written.reduce((sum, w) => sum + w.bytes, 0)
  sockets.push(...written.map((w) => w.socket))
  return total
}

const sockets: Socket[] = []

async function measure(proxy: ProxyProcess, stalled: Server, reading: Server): Promise<string[]> {
  const client = new Toxiproxy(proxy.url)
  const pid = proxy.process.pid!
  const idle = proxy.beforeProxy?.() ?? memoryOf(pid)
  const rows: string[] = []
  const stalledProxy = await client.createProxy({
    name: 'stalled',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${(stalled.address() as AddressInfo).port}`,
  })
  const inStalled = await fill(Number(stalledProxy.listen.split(':').pop()), connections)
  const afterStalled = memoryOf(pid)
  // Each case on its own: the stalled connections end before the latency case begins.
  for (const socket of sockets.splice(0)) socket.destroy()
  await sleep(1000)
  rows.push(
    `| ${proxy.name} | stalled upstream | ${(inStalled / MB).toFixed(0)} | ${idle.rssMb.toFixed(0)} | ${afterStalled.rssMb.toFixed(0)} | ${afterStalled.peakMb.toFixed(0)} |`,
  )
  const latencyProxy = await client.createProxy({
    name: 'latency',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${(reading.address() as AddressInfo).port}`,
  })
  const hold = { latency: 60_000, jitter: 0 }
  await latencyProxy.addToxic({ name: 'hold', type: 'latency', stream: 'upstream', toxicity: 1, attributes: hold })
  const inLatency = await fill(Number(latencyProxy.listen.split(':').pop()), connections)
  const afterLatency = memoryOf(pid)
  rows.push(
    `| ${proxy.name} | latency toxic (60 s) | ${(inLatency / MB).toFixed(0)} | ${idle.rssMb.toFixed(0)} | ${afterLatency.rssMb.toFixed(0)} | ${afterLatency.peakMb.toFixed(0)} |`,
  )
  for (const socket of sockets.splice(0)) socket.destroy()
  return rows
}

async function main(): Promise<void> {
  // Never reads: accepted sockets stay paused.
  const stalled = await listen(createServer({ pauseOnConnect: true }, (socket) => socket.on('error', () => {})))
  // Reads and drops everything.
  const reading = await listen(createServer((socket) => socket.on('error', () => {}).resume()))
  const rows: string[] = []
  const proxies: ProxyProcess[] = [await startEmbedded(), await startInRunProcess()]
  if (realBinary) proxies.push(await startReal(realBinary))
  try {
    for (const proxy of proxies) rows.push(...(await measure(proxy, stalled, reading)))
  } finally {
    for (const proxy of proxies) proxy.process.kill()
    stalled.close()
    reading.close()
  }
  console.log(
    `| proxy | holding data by | MB in from ${connections} clients | RSS idle MB (a run's: before the proxy) | RSS then MB | peak RSS MB |`,
  )
  console.log(`| --- | --- | ---: | ---: | ---: | ---: |`)
  for (const row of rows) console.log(row)
  console.log(`\nNode ${process.version}; load average ${loadavg()[0]!.toFixed(2)}`)
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

await main()
process.exit(0)
