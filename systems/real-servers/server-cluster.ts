import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { SemiSyncStatus } from '../../core/semisync/semi-sync-status.js'
import type { WaitPoint } from '../../core/semisync/semi-sync-settings.js'
import type { ToxiproxyEndpoint } from '../../core/cluster/system-under-test.js'
import {
  CLIENTS,
  type ClientConnection,
  type Cluster,
  type LinkLatency,
  type ReplicaState,
  type StartMode,
} from '../../core/cluster/cluster.js'
import { RealClock } from './real-clock.js'
import { AdminConnection } from './admin-connection.js'
import { BIND_ATTEMPTS, freePort } from './free-port.js'
import { ServerStartError } from './server-start-error.js'
import type { SemiSyncOptions, ServerSettings } from './server-options.js'
import { newRunCredentials, saveRunCredentials, sqlLiteral, type Account } from './run-credentials.js'
import type { ServerHosting, ServerInstance } from './server-hosting.js'
import { SqlClientConnection } from './sql-client-connection.js'
import { SCHEMA, tableDdl } from './statement-sql.js'
import { ProxiedLinks } from './proxied-links.js'
import type { ServerDialect } from './server-dialect.js'

/** The topology and settings of a cluster of MariaDB or MySQL servers. */
export interface ServerClusterSpec {
  /** Which server, and how it differs from the other. */
  dialect: ServerDialect
  /** Where the servers run: local processes, or containers. */
  hosting: ServerHosting
  /** The run folder: the run's credentials (and a local node's files) go there. */
  runDir: string
  replicas: number
  semiSyncReplicas: number
  semiSync: boolean
  waitPoint: WaitPoint
  timeoutMs: number
  waitNoReplica: boolean
  /** Acks a commit waits for (MySQL only; MariaDB always waits for one). */
  waitForReplicaCount: number
  syncRelayLog: number
  /** Workload tables to create on every node. */
  tables: readonly string[]
  /**
   * The Toxiproxy to put every replication and client link behind; with null, a cut replication link stops the
   * replica's IO thread instead, and client links cannot be cut nor latency added.
   */
  toxiproxy: ToxiproxyEndpoint | null
  log: (line: string) => void
  /** Draws free ports (tests replace it to make a port race happen); default {@link freePort}. */
  ports?: () => Promise<number>
  /** Runs after teardown (removes a temporary run folder). */
  onTeardown?: (() => void) | undefined
}

interface Node {
  name: string
  serverId: number
  /** The port it listens on; drawn again if someone took it before the server bound it. */
  port: number
  server: ServerInstance
  admin: AdminConnection
  semiSyncReplica: boolean
}

/** Without proxies, replication links are cut by stopping the IO thread; client links and latency are out of reach. */
const UNSUPPORTED_WITHOUT_PROXIES = new Set(['partition:clients', 'latency', 'reset'])

/**
 * Real MariaDB or MySQL servers on 127.0.0.1, behind the same {@link Cluster} interface as the engine: the
 * {@link ServerDialect} says what differs between the two, the {@link ServerHosting} where they run (local processes,
 * containers). Every link goes through a Toxiproxy proxy;
 * without proxies (`--network io-thread`) a cut replication link stops the replica's IO thread, healing starts it
 * again, and client links cannot be cut.
 */
export class ServerCluster implements Cluster {
  /** Starts again once the cluster is up, so time 0 in the history is when the workload can begin. */
  private runClock = new RealClock()
  private readonly nodeMap = new Map<string, Node>()
  /** The proxies in front of every link, when the cluster runs behind Toxiproxy. */
  private links: ProxiedLinks | null = null
  private current = 'n1'
  /** Replicas whose IO thread a cut stopped, to restart on heal. */
  private readonly cutReplicas = new Set<string>()
  /** The run's accounts, with fresh random passwords. */
  private readonly credentials = newRunCredentials()
  /** The account the harness administers and replicates with (the hosting's). */
  private readonly admin: Account
  /** Draws a free port for a server or a proxy. */
  private readonly ports: () => Promise<number>
  /** Set once the cluster is up: from then on a node's port is only movable behind proxies. */
  private booted = false

  private constructor(private readonly spec: ServerClusterSpec) {
    this.ports = spec.ports ?? freePort
    this.admin = spec.hosting.adminAccount(this.credentials)
  }

  /** Creates, starts and wires the cluster: n1 the primary, the others replicating from it. */
  static async start(spec: ServerClusterSpec): Promise<ServerCluster> {
    const cluster = new ServerCluster({ ...spec, runDir: resolve(spec.runDir) })
    try {
      await cluster.boot()
    } catch (error) {
      await cluster.teardown()
      throw error
    }
    return cluster
  }

  private async boot(): Promise<void> {
    const { spec } = this
    const { dialect, hosting } = spec
    for (const line of await hosting.prepare()) spec.log(line)
    mkdirSync(spec.runDir, { recursive: true })
    saveRunCredentials(spec.runDir, { admin: this.admin, client: this.credentials.client })
    for (let i = 0; i <= spec.replicas; i++) {
      const name = `n${i + 1}`
      const semiSyncReplica = spec.semiSync && i >= 1 && i <= spec.semiSyncReplicas
      const settings: ServerSettings = {
        name,
        serverId: i + 1,
        syncRelayLog: spec.syncRelayLog,
        semiSync: {
          ...this.sourceSettings(),
          sourceEnabled: spec.semiSync && i === 0,
          replicaEnabled: semiSyncReplica,
        },
      }
      const port = await this.ports()
      const node: Node = {
        name,
        serverId: i + 1,
        port,
        semiSyncReplica,
        server: hosting.node(settings, this.credentials),
        admin: new AdminConnection(name, port, this.admin),
      }
      this.nodeMap.set(name, node)
    }
    // Servers first, so the proxies point at the ports the servers really bound.
    await Promise.all([...this.nodeMap.values()].map((node) => this.startOnFreePort(node)))
    if (spec.toxiproxy) {
      const prefix = `ssc${process.pid}-${spec.runDir.replace(/[^A-Za-z0-9]+/g, '').slice(-24)}`
      const nodes = [...this.nodeMap.values()].map((n) => ({ name: n.name, port: n.port }))
      this.links = await ProxiedLinks.create(spec.toxiproxy.url, prefix, nodes, this.ports)
    }
    const { client } = this.credentials
    for (const node of this.nodeMap.values()) {
      // Local setup is not replicated: every node gets it, and no GTID is spent on it.
      await node.admin.exec(
        'SET SESSION sql_log_bin=0',
        `CREATE DATABASE IF NOT EXISTS ${SCHEMA}`,
        ...spec.tables.map(tableDdl),
        // The clients' account: no SUPER, so `read_only` applies to it as it would to an application.
        `CREATE USER IF NOT EXISTS '${client.user}'@'127.0.0.1' IDENTIFIED BY ${sqlLiteral(client.password)}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${SCHEMA}.* TO '${client.user}'@'127.0.0.1'`,
      )
    }
    const primary = this.node('n1')
    await primary.admin.exec(...dialect.promote(this.sourceSettings()))
    for (const node of this.nodeMap.values()) {
      if (node === primary) continue
      await node.admin.exec(...dialect.demote())
      await this.changeSource(node, primary)
    }
    await this.awaitReplicasConnected()
    this.booted = true
    this.runClock = new RealClock()
  }

  /** The semi-sync settings a primary gets (at boot and when promoted). */
  private sourceSettings(): SemiSyncOptions {
    const { spec } = this
    return {
      sourceEnabled: spec.semiSync,
      replicaEnabled: false,
      waitPoint: spec.waitPoint,
      timeoutMs: spec.timeoutMs,
      waitNoReplica: spec.waitNoReplica,
      waitForReplicaCount: spec.waitForReplicaCount,
    }
  }

  /**
   * A start whose port another process took (drawn free at boot, or given up while the node was down) gets a new
   * port and tries again, a few times, instead of failing the run. After boot the proxies in front of the node follow
   * it; without proxies, replicas connect to the node's own port, so a restart keeps it.
   */
  private async startOnFreePort(node: Node, asReplica = false): Promise<void> {
    const movable = this.links !== null || !this.booted
    for (let attempt = 1; ; attempt++) {
      try {
        await node.server.start({
          port: node.port,
          startOptions: this.spec.dialect.startOptions(asReplica),
          ready: () => node.admin.ping(),
        })
        return
      } catch (error) {
        const taken = error instanceof ServerStartError && error.portTaken
        if (!taken || !movable || attempt >= BIND_ATTEMPTS) throw error
        const before = node.port
        node.port = await this.ports()
        node.admin.close()
        node.admin = new AdminConnection(node.name, node.port, this.admin)
        await this.links?.repointUpstream(node.name, node.port)
        this.spec.log(`${node.name}: port ${before} was taken before the server bound it; trying ${node.port}`)
      }
    }
  }

  /** The port `node` reaches `source` on for replication: the proxy's in front of it, or the server's own. */
  private replicationPort(node: Node, source: Node): number {
    return this.links ? this.links.replicationPort(node.name, source.name) : source.port
  }

  private async changeSource(node: Node, source: Node): Promise<void> {
    const { dialect } = this.spec
    await node.admin.exec(...dialect.replicateFrom(this.replicationPort(node, source), this.admin))
  }

  private async awaitReplicasConnected(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    const primary = this.node(this.current)
    const wanted = [...this.nodeMap.values()].filter((n) => n.semiSyncReplica).length
    for (;;) {
      const states = await Promise.all(
        this.nodes()
          .filter((n) => n !== this.current)
          .map((n) => this.replicaState(n)),
      )
      const clients = wanted === 0 ? 0 : (await this.status(primary.name)).Rpl_semi_sync_master_clients
      if (states.every((s) => s.io === 'running') && clients >= wanted) return
      if (Date.now() > deadline) {
        throw new Error(
          `replicas did not connect within ${timeoutMs} ms: ${states.map((s) => `${s.node} ${s.io} ${s.ioError ?? ''}`).join('; ')}`,
        )
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  get clock(): RealClock {
    return this.runClock
  }

  get unsupported(): ReadonlySet<string> {
    return this.spec.toxiproxy ? new Set() : UNSUPPORTED_WITHOUT_PROXIES
  }

  private node(name: string): Node {
    const node = this.nodeMap.get(name)
    if (!node) throw new Error(`no node named ${name} (nodes: ${this.nodes().join(', ')})`)
    return node
  }

  nodes(): string[] {
    return [...this.nodeMap.keys()]
  }

  primary(): string {
    return this.current
  }

  connect(node: string): ClientConnection {
    const port = this.links ? this.links.clientPort(node) : this.node(node).port
    return new SqlClientConnection(node, { host: '127.0.0.1', port, ...this.credentials.client })
  }

  // ---- process faults ----------------------------------------------------------------------------------------

  async kill(node: string): Promise<void> {
    const n = this.node(node)
    n.admin.close()
    await n.server.kill()
  }

  async start(node: string, mode: StartMode): Promise<void> {
    const n = this.node(node)
    n.admin.close()
    await this.startOnFreePort(n, mode === 'truncate')
    if (node !== this.current) {
      // A server starts with its option file's semi-sync roles, written for the role it had at boot: an old primary
      // would come back with the source side on, and with no fallback its replication applier would then wait for
      // acks no one sends (seen in a MariaDB campaign). It is a replica now, with the replica side it had last.
      await n.admin.exec(...this.spec.dialect.demote(), this.spec.dialect.setReplicaSemiSync(n.semiSyncReplica))
    }
  }

  async pause(node: string): Promise<void> {
    await this.node(node).server.pause()
  }

  async resume(node: string): Promise<void> {
    await this.node(node).server.resume()
  }

  isAlive(node: string): boolean {
    return this.node(node).server.isRunning
  }

  // ---- network faults --------------------------------------------------------------------------------------

  async cut(from: string, to: string): Promise<void> {
    if (this.links) return this.links.cut(from, to)
    if (from === CLIENTS || to === CLIENTS) {
      throw new Error('cutting clients from a node needs the proxies (--network proxy)')
    }
    for (const [replica, source] of [
      [to, from],
      [from, to],
    ] as const) {
      const state = await this.replicaState(replica)
      if (state.source === source && this.isAlive(replica)) {
        this.cutReplicas.add(replica)
        await this.node(replica).admin.exec(this.spec.dialect.stopIo)
      }
    }
  }

  async healNetwork(): Promise<void> {
    if (this.links) await this.links.heal()
    for (const replica of [...this.cutReplicas]) {
      this.cutReplicas.delete(replica)
      if (this.isAlive(replica) && (await this.replicaState(replica)).source !== null) {
        await this.node(replica).admin.exec(this.spec.dialect.startIo)
      }
    }
  }

  async setLatency(from: string, to: string, latency: LinkLatency): Promise<void> {
    if (!this.links) throw new Error('latency needs the proxies (--network proxy)')
    await this.links.setLatency(from, to, latency)
  }

  /** Healing removes every toxic at once (Toxiproxy's /reset), latency included. */
  async clearLatency(): Promise<void> {
    if (this.links) await this.links.heal()
  }

  async resetConnections(a: string, b: string): Promise<void> {
    if (!this.links) throw new Error('connection resets need the proxies (--network proxy)')
    await this.links.resetConnections(a, b)
  }

  async stallApplier(node: string, stalled: boolean): Promise<void> {
    const { dialect } = this.spec
    await this.node(node).admin.exec(stalled ? dialect.stopApplier : dialect.startApplier)
  }

  async slowApplier(): Promise<void> {
    throw new Error('slowing the applier needs the built-in engine (--db sim); a real server applies at its own pace')
  }

  async killWaitingSessions(node: string): Promise<number[]> {
    const n = this.node(node)
    const ids = await this.spec.dialect.waitingSessions(n.admin)
    for (const id of ids) await n.admin.query(`KILL ${id}`)
    return ids
  }

  // ---- replication control -----------------------------------------------------------------------------------

  async replicaState(node: string): Promise<ReplicaState> {
    const n = this.node(node)
    const base = { node, alive: n.server.isRunning, semiSync: n.semiSyncReplica }
    if (!n.server.isRunning) {
      return {
        ...base,
        source: null,
        receivedSeq: 0,
        appliedSeq: 0,
        received: '',
        applied: '',
        io: 'stopped',
        ioError: null,
      }
    }
    const { sourcePort, ...positions } = await this.spec.dialect.positions(n.admin)
    const source =
      sourcePort === null
        ? null
        : ([...this.nodeMap.values()].find((other) => other !== n && this.replicationPort(n, other) === sourcePort)
            ?.name ?? null)
    return { ...base, source, ...positions }
  }

  async stopReplicationIo(node: string): Promise<void> {
    await this.node(node).admin.exec(this.spec.dialect.stopIo)
  }

  async startReplication(node: string): Promise<void> {
    await this.node(node).admin.exec(this.spec.dialect.startReplication)
  }

  async replicateFrom(node: string, source: string, options: { semiSync?: boolean } = {}): Promise<void> {
    const n = this.node(node)
    const { dialect } = this.spec
    if (options.semiSync !== undefined) {
      n.semiSyncReplica = options.semiSync
      await n.admin.exec(dialect.setReplicaSemiSync(options.semiSync))
    }
    await n.admin.exec(...dialect.demote())
    await this.changeSource(n, this.node(source))
  }

  async adoptBinlogPosition(node: string): Promise<void> {
    await this.node(node).admin.exec(...this.spec.dialect.adoptBinlogPosition())
  }

  /**
   * Replaces the node's data with a copy of `source`'s (MySQL's clone plugin, through the replication link), then
   * starts it again: the server shuts itself down after a clone, since no supervisor restarts it.
   */
  async reprovision(node: string, source: string): Promise<void> {
    const { dialect } = this.spec
    if (!dialect.clone) throw new Error(`${dialect.product} has no clone plugin: --rejoin clone needs MySQL`)
    const n = this.node(node)
    const donor = this.node(source)
    try {
      await dialect.clone({
        recipient: n.admin,
        donor: donor.admin,
        donorName: source,
        donorPort: this.replicationPort(n, donor),
        account: this.admin,
      })
    } catch (error) {
      // A clone that failed half-way has already dropped the node's data: it must not come back as it was.
      n.admin.close()
      await n.server.kill()
      throw new Error(
        `${node}: re-provisioning from ${source} failed, the node stays down: ${(error as Error).message}`,
      )
    }
    n.admin.close()
    if (!(await n.server.awaitExit(60_000))) {
      throw new Error(`${node}: ${dialect.program} did not shut down after the clone; ${await n.server.logTail()}`)
    }
    await this.startOnFreePort(n)
  }

  async promote(node: string): Promise<void> {
    await this.node(node).admin.exec(...this.spec.dialect.promote(this.sourceSettings()))
  }

  async setPrimary(node: string): Promise<void> {
    this.current = node
  }

  async binlogSeq(node: string): Promise<number> {
    return this.spec.dialect.binlogSeq(this.node(node).admin)
  }

  async errantTransactions(node: string): Promise<string> {
    const { dialect } = this.spec
    const primaryExecuted = await dialect.executed(this.node(this.current).admin)
    return dialect.errantTransactions(this.node(node).admin, primaryExecuted)
  }

  async status(node: string): Promise<SemiSyncStatus> {
    return this.spec.dialect.status(this.node(node).admin)
  }

  /** Kills every server this cluster started (even paused ones) and removes them; data dirs go unless kept. */
  async teardown(): Promise<void> {
    try {
      for (const node of this.nodeMap.values()) {
        node.admin.close()
        await node.server.remove()
      }
      await this.links?.close()
    } finally {
      await this.spec.hosting.close()
      this.spec.onTeardown?.()
    }
  }

  /** Synchronous last resort for exit handlers: SIGKILL every server now. */
  killAllNow(): void {
    this.spec.hosting.killNow()
  }
}
