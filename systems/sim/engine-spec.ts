import type { ClusterSpec } from '../../core/cluster/system-under-test.js'
import { DEFAULT_ENGINE_TIMINGS, type EngineClusterSpec } from './engine/engine-cluster.js'

/** The simulated cluster a cluster spec describes. */
export function engineSpecFor(spec: ClusterSpec): EngineClusterSpec {
  return {
    ...DEFAULT_ENGINE_TIMINGS,
    seed: spec.seed,
    flavor: spec.flavor,
    replicas: spec.replicas,
    semiSyncReplicas: spec.semiSyncReplicas,
    master: { ...spec.master },
    syncRelayLog: spec.syncRelayLog,
    applyTimeNs: Math.round(spec.applyTimeUs * 1000),
  }
}
