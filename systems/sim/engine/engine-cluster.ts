import { SimNetwork, type LinkLatency } from '../simulator/network.js'
import type { DiskLatency } from '../simulator/sim-file.js'
import { Simulator } from '../simulator/simulator.js'
import { ServerNode } from './server-node.js'
import type { ClusterSpec } from '../../../core/cluster/system-under-test.js'
import type { WireMessage } from './wire.js'

/**
 * The topology and settings of a simulated cluster: one primary, N replicas, the first K of them semi-sync (as any
 * system's {@link ClusterSpec} says), and the engine's own timings.
 */
export interface EngineClusterSpec extends Pick<
  ClusterSpec,
  'seed' | 'flavor' | 'replicas' | 'semiSyncReplicas' | 'master' | 'syncRelayLog'
> {
  applyTimeNs: number
  connectRetryNs: number
  lockWaitTimeoutNs: number
  network: LinkLatency
  disk: DiskLatency
}

export const DEFAULT_ENGINE_TIMINGS = {
  applyTimeNs: 200_000,
  connectRetryNs: 1_000_000_000,
  lockWaitTimeoutNs: 50_000_000_000,
  network: { meanNs: 150_000, jitterNs: 100_000 },
  disk: { fsyncMeanNs: 500_000, fsyncJitterNs: 300_000 },
} as const

/** Node names: n1 is the first primary, n2… the replicas. */
export function nodeNames(replicas: number): string[] {
  return Array.from({ length: replicas + 1 }, (_, i) => `n${i + 1}`)
}

/** A simulated cluster: the simulator, its network and the server nodes, wired as the spec says. */
export class EngineCluster {
  readonly sim: Simulator
  readonly network: SimNetwork<WireMessage>
  readonly nodes = new Map<string, ServerNode>()

  constructor(readonly spec: EngineClusterSpec) {
    this.sim = new Simulator(spec.seed)
    this.network = new SimNetwork<WireMessage>(this.sim, this.sim.stream('network'), spec.network)
    nodeNames(spec.replicas).forEach((name, i) => {
      const isSemiSyncReplica = i >= 1 && i <= spec.semiSyncReplicas
      const node = new ServerNode(
        {
          name,
          serverId: i + 1,
          flavor: spec.flavor,
          master: { ...spec.master, enabled: false },
          semiSyncReplica: isSemiSyncReplica,
          syncRelayLog: spec.syncRelayLog,
          applyTimeNs: spec.applyTimeNs,
          connectRetryNs: spec.connectRetryNs,
          lockWaitTimeoutNs: spec.lockWaitTimeoutNs,
        },
        this.sim,
        this.network,
        spec.disk,
      )
      this.nodes.set(name, node)
    })
  }

  node(name: string): ServerNode {
    const node = this.nodes.get(name)
    if (!node) throw new Error(`no node named ${name} (nodes: ${[...this.nodes.keys()].join(', ')})`)
    return node
  }

  /** Starts every server: n1 as the primary with the spec's semi-sync settings, the others replicating from it. */
  boot(): string {
    const names = [...this.nodes.keys()]
    const primary = names[0] as string
    for (const node of this.nodes.values()) node.start()
    const first = this.node(primary)
    first.readOnly = false
    first.configureMaster(this.spec.master)
    for (const name of names.slice(1)) this.node(name).replicateFrom(primary)
    return primary
  }
}
