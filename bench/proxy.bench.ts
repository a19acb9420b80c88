/**
 * The embedded Toxiproxy-compatible proxy with no toxics, on loopback: throughput (bytes pushed through a proxy into a
 * sink, against the same push straight to the sink) and added round-trip latency (small ping-pongs through a proxy to
 * an echo server, against the same ping-pongs direct). Figures go to bench/proxy-figures.md.
 *
 * Run: `node --import tsx bench/proxy.bench.ts` (about a minute), or with `--quick` (a few seconds).
 * Options: `--mb <n>` MB (10^6 bytes) per throughput run (default 2000), `--rounds <n>` (default 3), `--pings <n>`
 * (default 20000), `--profile-proxy <dir>` (writes a V8 CPU profile of the proxy child there; read it with
 * `node --import tsx bench/cpu-profile-top.ts <dir>/CPU.*.cpuprofile`), `--real-toxiproxy <binary>` (also measures a
 * real Toxiproxy server the user built, in its own process, alternating with the others), `--burn <n>` (n busy child
 * processes run beside the measurement: a loaded machine), `--poll-window-us <n>` (the own-process proxy's poll window,
 * as `semisync-chaos proxy --poll-window-us` sets it; default 0, as the command's).
 *
 * Who runs where:
 * - throughput: the load generator and the sink share this process in every run; the proxy runs in a child process
 *   (as `semisync-chaos proxy` does) or, in the last row, inside this process (as a harness embedding it would).
 * - latency: the echo server runs in a child process of its own, like a database server, so every round trip (direct
 *   or proxied) crosses processes; the proxy again runs in its own child process, or inside the client's process.
 *   For the proxies in a process of their own, the CPU that process spent per round trip is read from
 *   /proc/<pid>/task/<tid>/schedstat, all threads together (what a poll window costs).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { readdirSync, readFileSync } from 'node:fs'
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Toxiproxy } from 'toxiproxy-node-client'
import { startToxiproxyServer } from '../toxiproxy/toxiproxy-server.js'
import { startRealToxiproxy } from './real-toxiproxy.js'

const args = process.argv.slice(2)
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(name)
  return at < 0 ? fallback : Number(args[at + 1])
}
const quick = args.includes('--quick')
const MB = 1_000_000
const totalBytes = flag('--mb', quick ? 200 : 2000) * MB
const rounds = flag('--rounds', quick ? 1 : 3)
const pings = flag('--pings', quick ? 2000 : 20000)
const CHUNK = Buffer.alloc(64 * 1024, 0x5a)
const PING = Buffer.alloc(32, 0x61)
const WARM_UP_PINGS = 1000
/** Latency rounds per path (each `pings / LATENCY_ROUNDS` ping-pongs), alternating with the other paths. */
const LATENCY_ROUNDS = 2
const ALL_PATHS = ['direct', 'bare', 'proxy', 'inProcess', 'real'] as const
type Path = (typeof ALL_PATHS)[number]
/** A real Toxiproxy server binary to measure beside the embedded one (built by the user; not part of this repo). */
const realToxiproxy = (() => {
  const at = args.indexOf('--real-toxiproxy')
  return at < 0 ? null : (args[at + 1] ?? null)
})()
const PATHS: readonly Path[] = ALL_PATHS.filter((path) => path !== 'real' || realToxiproxy !== null)
/** CPU burners (busy child processes) running beside the measurement: a loaded machine, as a CI runner is. */
const burners = flag('--burn', 0)
/** The own-process proxy's poll window, as `semisync-chaos proxy --poll-window-us` sets it. */
const pollWindowUs = flag('--poll-window-us', 0)

if (args.includes('--serve-proxy')) {
  // Child mode: serve the API on a free port, print its URL, run until the parent closes stdin.
  const server = await startToxiproxyServer({ port: 0, pollWindowUs })
  process.stdout.write(`${server.url}\n`)
  process.stdin.resume()
  process.stdin.once('end', () => void server.close().then(() => process.exit(0)))
} else if (args.includes('--serve-pipe')) {
  // The floor: a bare Node forwarder (socket.pipe both ways, no API, no toxics) to the sink and to the echo server.
  const at = args.indexOf('--serve-pipe')
  const ports: number[] = []
  for (const upstreamPort of [Number(args[at + 1]), Number(args[at + 2])]) {
    const forwarder = createServer({ noDelay: true }, (client) => {
      const upstream = connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true })
      client.on('error', () => upstream.destroy()).pipe(upstream)
      upstream.on('error', () => client.destroy()).pipe(client)
    })
    ports.push(port(await listenOn(forwarder)))
  }
  process.stdout.write(`${ports.join(' ')}\n`)
  process.stdin.resume()
  process.stdin.once('end', () => process.exit(0))
} else if (args.includes('--serve-echo')) {
  const echo = await listenOn(createServer({ noDelay: true }, (socket) => socket.on('error', () => {}).pipe(socket)))
  process.stdout.write(`${port(echo)}\n`)
  process.stdin.resume()
  process.stdin.once('end', () => process.exit(0))
} else {
  await main()
}

async function main(): Promise<void> {
  const sink = await startSink()
  const profileAt = args.indexOf('--profile-proxy')
  const profile = profileAt < 0 ? [] : ['--cpu-prof', '--cpu-prof-dir', args[profileAt + 1] ?? '/tmp/proxy-prof']
  const proxyChild = await startChild('--serve-proxy', profile, ['--poll-window-us', String(pollWindowUs)])
  const echoChild = await startChild('--serve-echo')
  const echoPort = Number(echoChild.firstLine)
  const pipeChild = await startChild('--serve-pipe', [], [String(port(sink.server)), String(echoPort)])
  const [pipeSink, pipeEcho] = pipeChild.firstLine.split(' ').map(Number) as [number, number]
  const inProcess = await startToxiproxyServer({ port: 0 })
  const real = realToxiproxy === null ? null : await startRealToxiproxy(realToxiproxy)
  const targets: Partial<Record<Path, { sink: number; echo: number }>> = {
    direct: { sink: port(sink.server), echo: echoPort },
    bare: { sink: pipeSink, echo: pipeEcho },
    proxy: await proxiedPorts(proxyChild.firstLine, port(sink.server), echoPort),
    inProcess: await proxiedPorts(inProcess.url, port(sink.server), echoPort),
    ...(real ? { real: await proxiedPorts(real.url, port(sink.server), echoPort) } : {}),
  }
  const burning = Array.from({ length: burners }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  )
  log(
    `throughput: ${rounds} round(s) of ${totalBytes / MB} MB per path; latency: ${pings} ping-pongs of ${PING.length} B` +
      (burners > 0 ? `; ${burners} CPU burner(s) running` : ''),
  )

  const throughput: Record<Path, number[]> = { direct: [], bare: [], proxy: [], inProcess: [], real: [] }
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so warm-up and drift do not favour one path.
    const order = round % 2 === 0 ? PATHS : [...PATHS].reverse()
    for (const path of order) {
      const mbps = await pushThrough(targets[path]!.sink, sink)
      throughput[path].push(mbps)
      log(`  round ${round + 1} ${path}: ${mbps.toFixed(0)} MB/s`)
    }
  }

  const latency: Record<Path, number[]> = { direct: [], bare: [], proxy: [], inProcess: [], real: [] }
  const ownProcess: Partial<Record<Path, number | undefined>> = {
    bare: pipeChild.process.pid,
    proxy: proxyChild.process.pid,
    real: real?.process.pid,
  }
  const cpuNs: Partial<Record<Path, number>> = {}
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (const path of PATHS) {
      const pid = ownProcess[path]
      const cpuBefore = pid === undefined ? 0 : onCpuNs(pid)
      const times = await pingPong(targets[path]!.echo, pings / LATENCY_ROUNDS)
      // Per round trip, warm-up pings included (they ran on the same CPU time).
      const trips = times.length + Math.min(WARM_UP_PINGS, pings / LATENCY_ROUNDS)
      if (pid !== undefined) cpuNs[path] = (cpuNs[path] ?? 0) + (onCpuNs(pid) - cpuBefore) / trips / LATENCY_ROUNDS
      latency[path].push(...times)
      log(`  ping-pong ${path}: median ${fmtUs(quantile(times, 0.5))}`)
    }
  }

  const load = loadavg()[0] ?? 0
  for (const burner of burning) burner.kill()
  for (const child of [proxyChild, echoChild, pipeChild]) child.process.stdin?.end()
  real?.process.kill()
  await inProcess.close()
  sink.server.close()
  report(throughput, latency, cpuNs, load)
}

/** Nanoseconds process `pid` has run on a CPU, all its threads together (/proc/<pid>/task/<tid>/schedstat). */
function onCpuNs(pid: number): number {
  let total = 0
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0])
  }
  return total
}

/** Runs this script again in `role`, and waits for the first line it prints (its URL or port). */
async function startChild(
  role: string,
  nodeArgs: string[] = [],
  roleArgs: string[] = [],
): Promise<{ process: ChildProcess; firstLine: string }> {
  const script = fileURLToPath(import.meta.url)
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, role, ...roleArgs], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  return { process: child, firstLine: await firstLine(child) }
}

/** Creates a sink and an echo proxy on the server at `url`; returns their listen ports. */
async function proxiedPorts(url: string, sinkPort: number, echoPort: number): Promise<{ sink: number; echo: number }> {
  const client = new Toxiproxy(url)
  const sink = await client.createProxy({ name: 'sink', listen: '127.0.0.1:0', upstream: `127.0.0.1:${sinkPort}` })
  const echo = await client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` })
  return { sink: Number(sink.listen.split(':').pop()), echo: Number(echo.listen.split(':').pop()) }
}

interface Sink {
  server: Server
  /** Resolves when the connection that carries the next push has received `bytes`. */
  expect(bytes: number): Promise<void>
}

async function startSink(): Promise<Sink> {
  let waiter: { bytes: number; resolve: () => void } | null = null
  const server = createServer((socket) => {
    let received = 0
    socket.on('data', (data: Buffer) => {
      received += data.length
      if (waiter !== null && received >= waiter.bytes) {
        const done = waiter
        waiter = null
        done.resolve()
      }
    })
    socket.on('error', () => {})
  })
  await listenOn(server)
  return {
    server,
    expect: (bytes) => new Promise<void>((resolve) => (waiter = { bytes, resolve })),
  }
}

/** Writes `totalBytes` to `targetPort` with back-pressure; MB/s from the first write to the sink's last byte. */
async function pushThrough(targetPort: number, sink: Sink): Promise<number> {
  const socket = await open(targetPort)
  const arrived = sink.expect(totalBytes)
  const started = process.hrtime.bigint()
  let sent = 0
  while (sent < totalBytes) {
    const piece = Math.min(CHUNK.length, totalBytes - sent)
    sent += piece
    if (!socket.write(piece === CHUNK.length ? CHUNK : CHUNK.subarray(0, piece))) {
      await new Promise((resolve) => socket.once('drain', resolve))
    }
  }
  await arrived
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  socket.destroy()
  return totalBytes / MB / seconds
}

/** Round-trip times in µs of `count` ping-pongs on one connection, after a warm-up. */
async function pingPong(targetPort: number, count: number): Promise<number[]> {
  const socket = await open(targetPort)
  const times: number[] = []
  const warmUp = Math.min(WARM_UP_PINGS, count)
  await new Promise<void>((resolve) => {
    let pending = PING.length
    let started = 0n
    let done = -warmUp
    const ping = (): void => {
      pending = PING.length
      started = process.hrtime.bigint()
      socket.write(PING)
    }
    socket.on('data', (data: Buffer) => {
      pending -= data.length
      if (pending > 0) return
      if (done >= 0) times.push(Number(process.hrtime.bigint() - started) / 1000)
      if (++done === count) resolve()
      else ping()
    })
    ping()
  })
  socket.destroy()
  return times
}

function report(
  throughput: Record<string, number[]>,
  latency: Record<string, number[]>,
  cpuNs: Partial<Record<string, number>>,
  loadBefore: number,
): void {
  const median = (values: number[]): number => quantile(values, 0.5)
  const load = `${loadBefore.toFixed(2)} (1-minute, before the burners stopped)${burners > 0 ? `, ${burners} CPU burner(s)` : ''}`
  const lines = [
    `machine: nproc ${cpus().length}, ${cpuDescription()}, ${memory()}, node ${process.version} ` +
      `(${process.platform}/${process.arch}), load average ${load}`,
    `date: ${new Date().toISOString()}`,
    '',
    `| path | throughput, median MB/s (runs) |`,
    `| --- | --- |`,
    ...PATHS.map(
      (path) =>
        `| ${label(path)} | ${median(throughput[path] ?? []).toFixed(0)} (${(throughput[path] ?? []).map((v) => v.toFixed(0)).join(', ')}) |`,
    ),
    '',
    `| path | RTT median | p99 | mean | added median | added p99 | proxy CPU per round trip |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
    ...PATHS.map((path) => {
      const values = latency[path] ?? []
      const base = latency.direct ?? []
      const added = (q: number): string => (path === 'direct' ? '–' : fmtUs(quantile(values, q) - quantile(base, q)))
      const cpu = cpuNs[path]
      const perTrip = cpu === undefined ? '–' : `${(cpu / 1000).toFixed(1)} µs`
      return `| ${label(path)} | ${fmtUs(median(values))} | ${fmtUs(quantile(values, 0.99))} | ${fmtUs(mean(values))} | ${added(0.5)} | ${added(0.99)} | ${perTrip} |`
    }),
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

function label(path: string): string {
  const labels: Record<string, string> = {
    direct: 'direct (no proxy)',
    bare: 'bare Node `pipe()` forwarder, own process (the floor)',
    proxy: `embedded proxy, own process (\`semisync-chaos proxy\`, poll window ${pollWindowUs} µs)`,
    inProcess: "embedded proxy, in the client's process",
    real: `real Toxiproxy (${realToxiproxy ?? ''}), own process`,
  }
  return labels[path] ?? path
}

/** Model, clock and cache from /proc/cpuinfo (os.cpus() reports 0 MHz in some VMs). */
function cpuDescription(): string {
  const info = readFileSync('/proc/cpuinfo', 'utf8')
  const field = (name: string): string => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(info)?.[1]?.trim() ?? '?'
  return `"${field('model name')}" (${field('cpu MHz')} MHz, ${field('cache size')} cache)`
}

function memory(): string {
  const match = /MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))
  return match ? `${(Number(match[1]) / 1024 / 1024).toFixed(1)} GiB RAM` : ''
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length
}

function fmtUs(us: number): string {
  return `${us.toFixed(0)} µs`
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port
}

async function listenOn(server: Server): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

async function open(targetPort: number): Promise<Socket> {
  const socket = connect({ port: targetPort, host: '127.0.0.1', noDelay: true })
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  return socket
}

async function firstLine(child: ChildProcess): Promise<string> {
  if (child.stdout === null) throw new Error('proxy child has no stdout')
  const lines = createInterface({ input: child.stdout })
  for await (const line of lines) return line.trim()
  throw new Error('proxy child exited before printing its URL')
}

function log(message: string): void {
  process.stderr.write(`${message}\n`)
}
