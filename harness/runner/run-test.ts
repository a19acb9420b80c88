import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { composeCheckers, type CompositeResult } from '../../checkers/compose.js'
import type { SemiSyncStatus } from '../../engine/semisync/status-variables.js'
import { SimulatedCluster } from '../../engine/simulated-cluster.js'
import type { Cluster, ReplicaState } from '../cluster/cluster.js'
import { Nemesis } from '../../nemesis/nemesis.js'
import { cyclicSchedule } from '../../nemesis/nemesis-schedule.js'
import { SetWorkload } from '../../workloads/set-workload.js'
import type { Workload } from '../../workloads/workload.js'
import { NS_PER_MS, NS_PER_SECOND } from '../clock/clock.js'
import { ConfigError } from '../config/config-error.js'
import type { TestConfig } from '../config/test-config.js'
import { failoverPolicy } from '../failover/failover-policy.js'
import { HistoryRecorder } from '../history/history-recorder.js'
import type { Op } from '../history/op.js'
import { buildInfo } from '../store/build-info.js'
import { newRunFolder, updateLatest, writeJson } from '../store/run-store.js'
import { guardRun } from './interrupt-guard.js'
import { engineSpecFor } from './engine-spec.js'
import { Runner, type RecoveryReport } from './runner.js'
import { driveSimulation } from './sim-driver.js'

export interface RunOptions {
  /** Write nothing to disk (tests, benchmarks): the history stays in memory. */
  inMemory?: boolean
  /** Install Ctrl-C / crash handlers for the duration of the run (the CLI does). */
  guardInterrupts?: boolean
}

export interface RunSummary {
  valid: CompositeResult['valid']
  anomalies: CompositeResult['anomalies']
  checkers: CompositeResult['checkers']
  recovery: RecoveryReport
  /** Each node at the end: semi-sync status counters and replication state (when fallback to async happened shows here). */
  nodes: Record<string, NodeReport>
  figures: { ops: number; clientOps: number; simulatedSeconds: number; wallSeconds: number; simulatorEvents: number }
}

export interface NodeReport {
  alive: boolean
  role: 'primary' | 'replica'
  status: SemiSyncStatus
  replication: ReplicaState | null
}

async function nodeReports(cluster: Cluster): Promise<Record<string, NodeReport>> {
  const reports: Record<string, NodeReport> = {}
  const primary = cluster.primary()
  for (const node of cluster.nodes()) {
    reports[node] = {
      alive: cluster.isAlive(node),
      role: node === primary ? 'primary' : 'replica',
      status: await cluster.status(node),
      replication: node === primary ? null : await cluster.replicaState(node),
    }
  }
  return reports
}

export interface RunOutcome {
  config: TestConfig
  runDir: string | null
  history: readonly Op[]
  results: RunSummary
}

function workloadFor(config: TestConfig): Workload {
  switch (config.workload) {
    case 'set':
      return new SetWorkload(config.readFraction)
  }
}

/** Runs one test end to end: cluster, clients and nemesis, final phase, checkers, run folder. */
export async function runTest(config: TestConfig, options: RunOptions = {}): Promise<RunOutcome> {
  if (config.db !== 'sim') {
    throw new ConfigError('--db', `'${config.db}' is not available in this build yet; use --db sim (the built-in engine)`)
  }
  const wallStart = process.hrtime.bigint()
  const cluster = new SimulatedCluster(engineSpecFor(config))
  const folder = options.inMemory ? null : newRunFolder(config.resultsDir, config.name, config.seed)
  if (folder) writeJson(join(folder.dir, 'test.json'), { ...config, runId: folder.runId, build: buildInfo(), argv: process.argv.slice(2) })
  const recorder = new HistoryRecorder({
    path: folder ? join(folder.dir, 'history.jsonl') : null,
    now: () => cluster.clock.now(),
  })
  const release = options.guardInterrupts
    ? guardRun(
        () => {
          recorder.flush()
          if (folder) writeJson(join(folder.dir, 'results.json'), { valid: 'unknown', interrupted: true, anomalies: [] })
        },
        () => cluster.teardown(),
      )
    : () => {}
  try {
    const workload = workloadFor(config)
    const sim = cluster.sim
    const nemesis = new Nemesis(
      cluster,
      sim.stream('nemesis'),
      {
        failoverPolicy: failoverPolicy(config.failoverPolicy),
        rejoin: config.rejoin,
        drainTimeoutNs: 30 * NS_PER_SECOND,
        rejoinAsSemiSyncReplica: config.semiSync && config.semiSyncReplicas > 0,
      },
      (draft) => recorder.record(draft),
    )
    const timeLimitNs = Math.round(config.timeLimitS * NS_PER_SECOND)
    const schedule =
      config.schedule ??
      cyclicSchedule(config.nemesis, Math.round(config.nemesisIntervalS * NS_PER_SECOND), timeLimitNs, sim.stream('nemesis-schedule'), {
        latencyMs: config.latencyMs,
        latencyJitterMs: config.latencyJitterMs,
      })
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
        workloadRandom: sim.stream('workload'),
        staggerRandom: sim.stream('stagger'),
      },
    )
    const { recovery, nodes } = await driveSimulation(sim, async () => {
      const recovery = await runner.run()
      return { recovery, nodes: await nodeReports(cluster) }
    })
    recorder.close()
    const history = recorder.ops()
    const checked = composeCheckers(workload.checkers()).check(history, { waitPoint: config.waitPoint })
    const results: RunSummary = {
      valid: checked.valid,
      anomalies: checked.anomalies,
      checkers: checked.checkers,
      recovery,
      nodes,
      figures: {
        ops: history.length,
        clientOps: history.filter((op) => typeof op.process === 'number' && op.type === 'invoke').length,
        simulatedSeconds: sim.now() / NS_PER_SECOND,
        wallSeconds: Number(process.hrtime.bigint() - wallStart) / 1e9,
        simulatorEvents: sim.eventsProcessed,
      },
    }
    if (folder) {
      writeJson(join(folder.dir, 'results.json'), results)
      for (const node of cluster.nodes()) writeFileSync(join(folder.dir, `${node}.log`), `${cluster.logs(node)}\n`)
      updateLatest(config.resultsDir, config.name, folder.dir)
    }
    return { config, runDir: folder?.dir ?? null, history, results }
  } finally {
    recorder.flush()
    release()
    await cluster.teardown()
  }
}
