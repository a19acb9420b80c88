/**
 * Real-server figures for bench/README.md: 3-node cluster start time, failover time, and set-workload throughput on
 * this machine. Run: `node --import tsx bench/real-servers.bench.ts --db mariadb|mysql [--image <image>]` (needs the
 * server: bash setup/install-mariadb.sh, bash setup/install-mysql.sh; or, with --image, a container engine and the
 * image: bash setup/install-containers.sh).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_CONFIG } from '../harness/config/test-config.js'
import { validateConfig } from '../harness/config/validate-config.js'
import { loadSystem, SYSTEM_NAMES } from '../systems/registry.js'
import { parseChoice } from '../harness/config/flag-parsers.js'
import { openSystem } from '../harness/run/open-system.js'
import { runTest } from '../harness/run/run-test.js'
import type { Op } from '../core/history/op.js'

const quick = process.argv.includes('--quick')
const dbFlag = process.argv.indexOf('--db')
const db = parseChoice('--db', dbFlag >= 0 ? (process.argv[dbFlag + 1] ?? '') : 'mariadb', SYSTEM_NAMES)
const imageFlag = process.argv.indexOf('--image')
const image = imageFlag >= 0 ? (process.argv[imageFlag + 1] ?? null) : null
const version = await (await loadSystem(db)).preflight({ serverBinary: null, image })
const resultsDir = mkdtempSync(join(tmpdir(), 'ssc-bench-'))
// As root the servers run as the mysql user, who must be able to enter the store (mkdtemp makes it 0700).
chmodSync(resultsDir, 0o711)

/** Real MySQL runs MySQL's personality, and rejoins a failed-over primary as it is (it cannot truncate). */
function flavorOf(): { flavor?: 'mysql'; rejoin?: 'as-is'; image?: string } {
  return { ...(db === 'mysql' ? { flavor: 'mysql', rejoin: 'as-is' } : {}), ...(image === null ? {} : { image }) }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

async function clusterStart(): Promise<number> {
  const config = validateConfig({ ...DEFAULT_CONFIG, db, ...flavorOf(), replicas: 2, nemesis: ['none'], resultsDir })
  const started = process.hrtime.bigint()
  const opened = await openSystem(config, { runDir: null, tables: ['set'] })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  await opened.close()
  return ms
}

/** From a kill-primary run: kill → failover done, and kill → first ok on the new primary. */
function failoverTimes(history: readonly Op[]): Array<{ failoverMs: number; unavailableMs: number }> {
  const out: Array<{ failoverMs: number; unavailableMs: number }> = []
  history.forEach((op, i) => {
    if (op.process !== 'nemesis' || op.f !== 'kill' || op.type !== 'invoke') return
    const done = history.slice(i).find((o) => o.process === 'nemesis' && o.f === 'failover' && o.type === 'info')
    if (!done) return
    const firstOk = history
      .slice(history.indexOf(done))
      .find((o) => typeof o.process === 'number' && o.type === 'ok' && o.f === 'add')
    out.push({ failoverMs: (done.time - op.time) / 1e6, unavailableMs: firstOk ? (firstOk.time - op.time) / 1e6 : NaN })
  })
  return out
}

const starts: number[] = []
for (let i = 0; i < (quick ? 2 : 6); i++) starts.push(await clusterStart())

const failoverRun = await runTest(
  validateConfig({
    ...DEFAULT_CONFIG,
    db,
    ...flavorOf(),
    name: 'bench-failover',
    seed: 1,
    timeLimitS: quick ? 12 : 40,
    nemesis: ['kill-primary'],
    nemesisIntervalS: 3,
    resultsDir,
  }),
  {},
)
const failovers = failoverTimes(failoverRun.history)

const throughput: Array<{ concurrency: number; opsPerSecond: number; valid: unknown }> = []
for (const concurrency of quick ? [10] : [10, 30]) {
  const seconds = quick ? 5 : 20
  const run = await runTest(
    validateConfig({
      ...DEFAULT_CONFIG,
      db,
      ...flavorOf(),
      name: 'bench-throughput',
      seed: 1,
      rate: 0,
      concurrency,
      readFraction: 0.2,
      timeLimitS: seconds,
      nemesis: ['none'],
      resultsDir,
    }),
    {},
  )
  const ok = run.history.filter((o) => typeof o.process === 'number' && o.type === 'ok' && !o.final).length
  throughput.push({ concurrency, opsPerSecond: ok / seconds, valid: run.results.valid })
}
rmSync(resultsDir, { recursive: true, force: true })

console.log(`${version}; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); Node ${process.version}`)
console.log('')
console.log('| figure | value |')
console.log('| --- | --- |')
console.log(
  `| 3-node cluster start (${image === null ? 'datadirs copied' : 'containers created, datadirs initialized'}, servers up, replication wired), median of ${starts.length} | ${median(starts).toFixed(0)} ms (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}) |`,
)
console.log(
  `| failover: kill -9 of the primary → new primary promoted, median of ${failovers.length} | ${median(failovers.map((f) => f.failoverMs)).toFixed(0)} ms |`,
)
// A failover after which no add was acknowledged before the run ended (a stalled MySQL failover) has no figure.
const unavailable = failovers.map((f) => f.unavailableMs).filter((ms) => !Number.isNaN(ms))
console.log(
  `| writes unavailable: kill -9 → first acknowledged add on the new primary, median of ${unavailable.length} | ${median(unavailable).toFixed(0)} ms |`,
)
for (const t of throughput) {
  console.log(
    `| set workload, ${t.concurrency} clients, no rate limit, 20% reads, AFTER_SYNC, 2 semi-sync replicas | ${t.opsPerSecond.toFixed(0)} ok ops/s (verdict ${String(t.valid)}) |`,
  )
}
