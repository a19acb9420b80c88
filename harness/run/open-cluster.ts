import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RandomStreams, type SeededRandom } from '../../core/random/seeded-random.js'
import { SimulatedCluster } from '../../systems/sim/simulated-cluster.js'
import type { Cluster } from '../../core/cluster/cluster.js'
import type { TestConfig } from '../config/test-config.js'
import type { MariadbBinaries } from '../../systems/mariadb/mariadb-binaries.js'
import { engineSpecFor } from '../../systems/sim/engine-spec.js'
import { driveSimulation } from '../../systems/sim/sim-driver.js'

/** A started system under test, and how async harness code is run against it. */
export interface OpenCluster {
  cluster: Cluster
  /** Runs `main` to completion: through the simulator for the engine, directly for real servers. */
  drive<T>(main: () => Promise<T>): Promise<T>
  /** Synchronous last resort for exit handlers (kill what was started). */
  killNow(): void
  /** Seeded randomness for runner and nemesis: the simulator's own streams, or streams of the run's seed. */
  stream(name: string): SeededRandom
  /** Simulator events processed so far (0 for real servers). */
  eventsProcessed(): number
}

/** Starts the system the config names. `runDir` holds real servers' files (a temp dir when the run is in memory). */
export async function openCluster(
  config: TestConfig,
  binaries: MariadbBinaries | null,
  runDir: string | null,
  tables: readonly string[],
  log: (line: string) => void,
): Promise<OpenCluster> {
  if (config.db === 'sim') {
    const cluster = new SimulatedCluster(engineSpecFor(config))
    return {
      cluster,
      drive: (main) => driveSimulation(cluster.sim, main),
      killNow: () => {},
      stream: (name) => cluster.sim.stream(name),
      eventsProcessed: () => cluster.sim.eventsProcessed,
    }
  }
  // Loaded only for real servers: the engine's runs need neither mysql2 nor the process code.
  const { MariadbCluster } = await import('../../systems/mariadb/mariadb-cluster.js')
  const { findMariadb } = await import('../../systems/mariadb/mariadb-binaries.js')
  // Every link goes through a Toxiproxy: the user's (--toxiproxy-url), or an embedded one the cluster owns.
  let toxiproxy: { url: string; close?: () => Promise<void> } | null = null
  if (config.network === 'proxy') {
    if (config.toxiproxyUrl) toxiproxy = { url: config.toxiproxyUrl }
    else {
      const { startToxiproxyServer } = await import('../../toxiproxy/toxiproxy-server.js')
      toxiproxy = await startToxiproxyServer({ port: 0, seed: config.seed })
    }
  }
  const cluster = await MariadbCluster.start({
    binaries: binaries ?? findMariadb(config.mariadbd),
    runDir: runDir ?? mkdtempSync(join(tmpdir(), 'ssc-run-')),
    resultsDir: config.resultsDir,
    replicas: config.replicas,
    semiSyncReplicas: config.semiSyncReplicas,
    semiSync: config.semiSync,
    waitPoint: config.waitPoint,
    timeoutMs: config.semiSyncTimeoutMs,
    waitNoSlave: config.waitNoSlave,
    syncRelayLog: config.syncRelayLog,
    tables,
    keepData: config.keepData,
    toxiproxy,
    log,
  })
  const streams = new RandomStreams(config.seed)
  return {
    cluster,
    drive: (main) => main(),
    killNow: () => cluster.killAllNow(),
    stream: (name) => streams.stream(name),
    eventsProcessed: () => 0,
  }
}
