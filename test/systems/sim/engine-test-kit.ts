import {
  DEFAULT_ENGINE_TIMINGS,
  EngineCluster,
  type EngineClusterSpec,
} from '../../../systems/sim/engine/engine-cluster.js'
import type { Flavor, SemiSyncMasterSettings } from '../../../core/semisync/semi-sync-settings.js'
import { flavorDefaults } from '../../../systems/sim/engine/settings.js'
import { SimClientConnection } from '../../../systems/sim/engine/sim-client-connection.js'
import type { Statement } from '../../../core/sql/statement.js'
import type { DbError } from '../../../core/sql/db-error.js'

export const MS = 1_000_000
export const SECOND = 1_000_000_000

export interface ClusterOptions {
  flavor?: Flavor
  replicas?: number
  semiSyncReplicas?: number
  master?: Partial<SemiSyncMasterSettings>
  syncRelayLog?: number
  seed?: number
}

/** A booted cluster for conformance tests, with everything else at the engine's defaults. */
export function bootCluster(options: ClusterOptions = {}): EngineCluster {
  const flavor = options.flavor ?? 'mariadb'
  const spec: EngineClusterSpec = {
    seed: options.seed ?? 1,
    flavor,
    replicas: options.replicas ?? 1,
    semiSyncReplicas: options.semiSyncReplicas ?? 1,
    master: { ...flavorDefaults(flavor), enabled: true, ...options.master },
    syncRelayLog: options.syncRelayLog ?? 1,
    ...DEFAULT_ENGINE_TIMINGS,
  }
  const cluster = new EngineCluster(spec)
  cluster.boot()
  cluster.sim.runFor(50 * MS) // replicas connect
  return cluster
}

/** What happened to one statement: when it ended and how. */
export interface Outcome {
  done: boolean
  at?: number
  ok?: boolean
  affectedRows?: number
  rows?: string[]
  error?: DbError
}

/** Sends a statement from a fresh client session and records its outcome as the simulation runs. */
export function send(
  cluster: EngineCluster,
  node: string,
  statement: Statement,
  timeoutNs: number | null = null,
): Outcome {
  const outcome: Outcome = { done: false }
  const connection = new SimClientConnection(cluster.sim, cluster.network, node)
  connection.execute(statement, timeoutNs, (result) => {
    outcome.done = true
    outcome.at = cluster.sim.now()
    outcome.ok = result.ok
    if (result.ok) {
      if (result.result.kind === 'written') outcome.affectedRows = result.result.affectedRows
      if (result.result.kind === 'rows') outcome.rows = result.result.keys
    } else {
      outcome.error = result.error
    }
  })
  return outcome
}

export function insert(key: number): Statement {
  return { kind: 'insert', table: 'set', key: String(key), value: key }
}

export const readSet: Statement = { kind: 'select-all', table: 'set' }

export function keysOn(cluster: EngineCluster, node: string): string[] {
  return cluster
    .node(node)
    .readTable('set')
    .map((r) => r.key)
}

/** Cuts the primary (n1) from every replica, both ways. */
export function partitionReplicas(cluster: EngineCluster): void {
  for (const name of cluster.nodes.keys()) {
    if (name === 'n1') continue
    cluster.network.cutLink('n1', name)
    cluster.network.cutLink(name, 'n1')
  }
}
