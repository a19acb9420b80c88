import type { SeededRandom } from '../random/seeded-random.js'
import type { Flavor, SemiSyncMasterSettings } from '../semisync/semi-sync-settings.js'
import type { Cluster } from './cluster.js'

/** The cluster a run asks a system for: topology and server settings, the same whatever the system. */
export interface ClusterSpec {
  /** Seeds the system's own randomness (the simulator's streams, the embedded proxy's toxics). */
  seed: number
  flavor: Flavor
  /** Replicas besides the primary (node names n1 = primary, n2, n3, …). */
  replicas: number
  /** The first `semiSyncReplicas` replicas ack; the others replicate asynchronously. */
  semiSyncReplicas: number
  master: SemiSyncMasterSettings
  /** `sync_relay_log` on the replicas. */
  syncRelayLog: number
  /** The engine's replica SQL-thread time per transaction, in µs (real servers take what they take). */
  applyTimeUs: number
  /** Workload tables every node creates. */
  tables: readonly string[]
  /** Real servers: every link behind a Toxiproxy (`proxy`), or replication cut by stopping IO threads. */
  network: 'proxy' | 'io-thread'
  /** Real servers: keep each node's data directory in the run folder. */
  keepData: boolean
  /** Real servers: the server binary the user named (`--mariadbd`); null finds it on PATH. */
  serverBinary: string | null
  /** Real servers: run every node as a container of this image (`official`: the product's); null runs processes. */
  image: string | null
}

/** A Toxiproxy HTTP API that a system may put its links behind. */
export interface ToxiproxyEndpoint {
  url: string
}

/** What the harness gives a system to open a cluster with. */
export interface SystemEnvironment {
  /** The run folder, for servers' files; null when the run is kept in memory (the system uses a temp folder). */
  runDir: string | null
  /** The store's root folder (where runs are written); the orphan registry of live servers lives under it. */
  storeDir: string
  /** The Toxiproxy to use: the user's (`--toxiproxy-url`) or an embedded one, started on the first call. */
  toxiproxy(): Promise<ToxiproxyEndpoint>
  /** Progress lines (orphans stopped, …) for the user. */
  log(line: string): void
}

/** A started cluster and how harness code is run against it. */
export interface OpenedCluster {
  cluster: Cluster
  /** Runs `main` to completion: through the simulator for the engine, directly for real servers. */
  drive<T>(main: () => Promise<T>): Promise<T>
  /** Synchronous last resort for exit handlers: kill every process the system started. */
  killNow(): void
  /** Seeded randomness for runner and nemesis: the simulator's own streams, or streams of the run's seed. */
  stream(name: string): SeededRandom
  /** Simulator events processed so far (0 for real servers). */
  eventsProcessed(): number
  /** Node logs kept in memory, by node, for the run folder (real servers write theirs there themselves). */
  logs(): Record<string, string>
}

/**
 * A system under test: one folder under `systems/`, listed once in `systems/registry.ts`. docs/ARCHITECTURE.md says
 * what a new system implements.
 */
export interface SystemUnderTest {
  readonly name: string
  /**
   * Checks the machine before anything is written (binaries present and working, or the container engine and image)
   * and returns what will run (a server version, an image); throws an EnvironmentError saying what is missing and how
   * to get it.
   */
  preflight(spec: Pick<ClusterSpec, 'serverBinary' | 'image'>): Promise<string>
  open(spec: ClusterSpec, environment: SystemEnvironment): Promise<OpenedCluster>
}
