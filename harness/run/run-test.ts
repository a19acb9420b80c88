import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { annotateSemiSyncAtAck } from '../../checkers/semi-sync-at-ack.js'
import { composeCheckers, type CompositeResult } from '../../checkers/compose.js'
import { Nemesis } from '../../nemesis/nemesis.js'
import type { Cluster } from '../../core/cluster/cluster.js'
import { NS_PER_MS, NS_PER_SECOND } from '../../core/clock/clock.js'
import type { TestConfig } from '../config/test-config.js'
import { failoverPolicy } from '../failover/failover-policy.js'
import { failover } from '../failover/orchestrator.js'
import { HistoryRecorder } from '../../results/history/history-recorder.js'
import type { Op } from '../../core/history/op.js'
import type { Workload } from '../../workloads/workload.js'
import { loadWorkload } from './load-workload.js'
import { workloadCheckers } from './workload-checkers.js'
import { buildInfo } from '../../results/store/build-info.js'
import { newRunFolder, updateLatest, writeJson } from '../../results/store/run-store.js'
import { clearLive, markLive } from '../../results/store/live-marker.js'
import { guardRun, UNTIL_EXIT } from './interrupt-guard.js'
import { loadSystem } from '../../systems/registry.js'
import { openSystem } from './open-system.js'
import { preflightSpecOf } from './cluster-spec-for.js'
import type { RecoveryReport } from '../../core/cluster/recovery-report.js'
import type { NodeReport, RunSummary } from '../../results/store/run-summary.js'
import { renderRunReport } from '../../results/report/run-report/render-run-report.js'
import { progressLine } from '../../results/report/progress-line.js'
import { Runner } from '../runner/runner.js'
import type { StatusSample } from '../../core/semisync/status-sample.js'
import { StatusMonitor } from '../runner/status-monitor.js'
import { wallLimitMsFor, withinWallLimit } from './wall-limit.js'
import { scheduleOf } from './schedule-of.js'

export interface RunOptions {
  /** Write nothing to disk (tests, benchmarks): the history stays in memory. */
  inMemory?: boolean
  /** Install Ctrl-C / crash handlers for the duration of the run (the CLI does). */
  guardInterrupts?: boolean
  /** Progress lines (orphans stopped, …); the CLI prints them to stderr. */
  log?: (line: string) => void
  /** Called every `progressIntervalMs` of wall time with a line on how the run is going (`progressLine`). */
  progress?: (line: string) => void
  progressIntervalMs?: number
}

export interface RunOutcome {
  config: TestConfig
  runDir: string | null
  history: readonly Op[]
  results: RunSummary
  statusSamples: readonly StatusSample[]
}

/** How often the status monitor samples every node. */
const STATUS_INTERVAL_NS = 100 * NS_PER_MS

async function nodeReports(cluster: Cluster): Promise<Record<string, NodeReport>> {
  const reports: Record<string, NodeReport> = {}
  const primary = cluster.primary()
  for (const node of cluster.nodes()) {
    const role = node === primary ? 'primary' : 'replica'
    const alive = cluster.isAlive(node)
    try {
      reports[node] = {
        alive,
        role,
        status: alive ? await cluster.status(node) : null,
        replication: node === primary ? null : await cluster.replicaState(node),
      }
    } catch (error) {
      reports[node] = { alive, role, status: null, replication: null, error: (error as Error).message }
    }
  }
  return reports
}

/**
 * The verdict on a recorded history, as the run's checkers give it: `run` uses it at the end and when interrupted, and
 * `check` of the run folder must agree with it (an element nobody read again is unknown, not lost). With the status
 * record (status.jsonl), the semi-sync status is held against the history too, when the primary ran semi-sync.
 */
export function checkRecorded(
  workload: Workload,
  config: TestConfig,
  history: readonly Op[],
  samples?: readonly StatusSample[],
): CompositeResult {
  const status = samples !== undefined && config.semiSync ? { samples, flavor: config.flavor } : null
  return composeCheckers(workloadCheckers(workload, status)).check(history, { waitPoint: config.waitPoint })
}

/** results.json of an interrupted run: the verdict on what was recorded, marked interrupted. */
function interruptedResults(workload: Workload, config: TestConfig, history: readonly Op[]): unknown {
  try {
    return { ...checkRecorded(workload, config, history), interrupted: true }
  } catch (error) {
    const reason = `interrupted, and the checkers could not run: ${String(error)}`
    return { valid: 'unknown', reason, interrupted: true, anomalies: [] }
  }
}

/** What the run was doing when it overran, in words: its phase and the nemesis actions still pending. */
export function overrunText(overran: NonNullable<RunSummary['overran']>): string {
  const pending = overran.pending.map((p) => `${p.f} ${JSON.stringify(p.value)} since ${p.sinceS.toFixed(1)} s`)
  return `${overran.phase}${pending.length > 0 ? `; pending: ${pending.join(', ')}` : ''}`
}

/** A run that did not finish is never valid: what was recorded can still show an anomaly (false), else unknown. */
function overranVerdict(checked: CompositeResult, overran: NonNullable<RunSummary['overran']>): CompositeResult {
  if (checked.valid === false) return checked
  const why = `the run overran its wall-clock limit of ${overran.wallLimitS} s (${overrunText(overran)})`
  return { ...checked, valid: 'unknown', reason: checked.reason ? `${why}; ${checked.reason}` : why }
}

/** Runs one test end to end: cluster, clients and nemesis, final phase, checkers, run folder. */
export async function runTest(config: TestConfig, options: RunOptions = {}): Promise<RunOutcome> {
  const log = options.log ?? (() => {})
  const wallStart = process.hrtime.bigint()
  const system = await loadSystem(config.db)
  // Before anything is written: a missing server is an environment problem, not a run.
  await system.preflight(preflightSpecOf(config))
  const folder = options.inMemory ? null : newRunFolder(config.resultsDir, config.name, config.seed)
  if (folder) markLive(folder.dir)
  if (folder)
    writeJson(join(folder.dir, 'test.json'), {
      ...config,
      runId: folder.runId,
      build: buildInfo(),
      argv: process.argv.slice(2),
    })
  const workload = await loadWorkload(config.workload, config)
  let opened: Awaited<ReturnType<typeof openSystem>>
  try {
    opened = await openSystem(config, { runDir: folder?.dir ?? null, tables: workload.tables, log, system })
  } catch (error) {
    if (folder) clearLive(folder.dir)
    throw error
  }
  const { cluster } = opened
  const recorder = new HistoryRecorder({
    path: folder ? join(folder.dir, 'history.jsonl') : null,
    now: () => cluster.clock.now(),
  })
  // Wall-clock ticks outside the simulation: they only read the history, so a simulated run stays the same.
  const progress = options.progress
  const ticker =
    progress === undefined
      ? null
      : setInterval(
          () => progress(progressLine(recorder.ops(), cluster.clock.now(), config.timeLimitS * NS_PER_SECOND)),
          options.progressIntervalMs ?? 10_000,
        )
  ticker?.unref()
  const onExit = (): void => opened.killNow()
  process.on('exit', onExit)
  const guard = options.guardInterrupts
    ? guardRun(
        () => {
          recorder.flush()
          if (folder) {
            writeJson(join(folder.dir, 'results.json'), interruptedResults(workload, config, recorder.ops()))
            // The run is over once its results are written (prune may then take it).
            clearLive(folder.dir)
          }
        },
        () => opened.close(),
      )
    : null
  try {
    const stream = (name: string) => opened.stream(name)
    const nemesis = new Nemesis(
      cluster,
      stream('nemesis'),
      {
        failover: () =>
          failover(cluster, failoverPolicy(config.failoverPolicy), { drainTimeoutNs: 30 * NS_PER_SECOND }),
        rejoin: config.rejoin,
        rejoinAsSemiSyncReplica: config.semiSync && config.semiSyncReplicas > 0,
        setRate: (opsPerSecond) => runner.setRate(opsPerSecond),
      },
      (draft) => recorder.record(draft),
    )
    const timeLimitNs = Math.round(config.timeLimitS * NS_PER_SECOND)
    const schedule = scheduleOf(config, stream('nemesis-schedule'))
    const runner = new Runner(
      {
        concurrency: config.concurrency,
        rate: config.rate,
        timeLimitNs,
        opTimeoutNs: config.opTimeoutMs * NS_PER_MS,
        recoveryTimeoutNs: Math.round(config.recoveryTimeoutS * NS_PER_SECOND),
      },
      {
        cluster,
        workload,
        nemesis,
        schedule,
        record: (draft) => recorder.record(draft),
        workloadRandom: stream('workload'),
        staggerRandom: stream('stagger'),
      },
    )
    const monitor = new StatusMonitor(cluster, STATUS_INTERVAL_NS)
    const driven = opened.drive(async () => {
      monitor.start()
      let recovery: RecoveryReport
      let samples: StatusSample[]
      try {
        recovery = await runner.run()
      } finally {
        samples = await monitor.stop()
      }
      return { recovery, nodes: await nodeReports(cluster), samples }
    })
    const wallLimitMs = wallLimitMsFor(config)
    const within = await withinWallLimit(driven, wallLimitMs)
    let overran: RunSummary['overran']
    if (!within.finished) {
      // Something never answered: keep what was recorded, say what was pending, and stop the servers (finally).
      runner.stop()
      overran = {
        wallLimitS: (wallLimitMs ?? 0) / 1000,
        phase: runner.phase,
        pending: nemesis.pending().map(({ f, value, sinceNs }) => ({ f, value, sinceS: sinceNs / NS_PER_SECOND })),
      }
      recorder.record({ process: 'nemesis', type: 'info', f: 'overrun', value: overran })
      log(`the run overran its wall-clock limit of ${overran.wallLimitS} s (${overrunText(overran)}); stopping it`)
    }
    const { recovery, nodes, samples } = within.finished
      ? within.value
      : { recovery: { recovered: false, waitedNs: 0, lagging: {} }, nodes: {}, samples: monitor.abandon() }
    recorder.close()
    const history = recorder.ops()
    const checked = overran
      ? overranVerdict(checkRecorded(workload, config, history, samples), overran)
      : checkRecorded(workload, config, history, samples)
    const results: RunSummary = {
      valid: checked.valid,
      ...(checked.reason === undefined ? {} : { reason: checked.reason }),
      anomalies: annotateSemiSyncAtAck(checked.anomalies, samples),
      checkers: checked.checkers,
      recovery,
      nodes,
      ...(overran ? { overran } : {}),
      figures: {
        ops: history.length,
        clientOps: history.filter((op) => typeof op.process === 'number' && op.type === 'invoke').length,
        simulatedSeconds: cluster.clock.now() / NS_PER_SECOND,
        wallSeconds: Number(process.hrtime.bigint() - wallStart) / 1e9,
        simulatorEvents: opened.eventsProcessed(),
      },
    }
    if (folder) {
      writeJson(join(folder.dir, 'results.json'), results)
      writeFileSync(join(folder.dir, 'status.jsonl'), samples.map((s) => `${JSON.stringify(s)}\n`).join(''))
      for (const [node, text] of Object.entries(opened.logs()))
        writeFileSync(join(folder.dir, `${node}.log`), `${text}\n`)
      writeFileSync(
        join(folder.dir, 'report.html'),
        renderRunReport({
          test: JSON.parse(readFileSync(join(folder.dir, 'test.json'), 'utf8')) as Record<string, unknown>,
          results: results as unknown as Record<string, unknown>,
          history,
          samples,
          runDir: folder.dir,
        }),
      )
      updateLatest(config.resultsDir, config.name, folder.dir)
    }
    return { config, runDir: folder?.dir ?? null, history, results, statusSamples: samples }
  } catch (error) {
    // Once Ctrl-C took over, what failed is the work it cut short: the guard reports and exits, nobody else.
    if (guard?.stopping()) return UNTIL_EXIT
    throw error
  } finally {
    if (ticker) clearInterval(ticker)
    // Whatever happened, the history file is complete and closed before the servers go.
    recorder.close()
    // When the guard took over, it tears down and exits (the exit handler stays as the last resort).
    if (!guard?.stopping()) {
      guard?.release()
      await opened.close()
      process.off('exit', onExit)
      if (folder) clearLive(folder.dir)
    }
  }
}
