import { rmSync } from 'node:fs'
import type {
  ClusterSpec,
  OpenedCluster,
  SystemEnvironment,
  SystemUnderTest,
} from '../../core/cluster/system-under-test.js'
import { RandomStreams } from '../../core/random/seeded-random.js'
import { enterableTempDir } from './node-folder.js'
import { ServerCluster } from './server-cluster.js'
import type { ServerDialect } from './server-dialect.js'

/** The server binaries a run will use, found on the machine: their version, and the dialect that drives them. */
export interface FoundServer {
  version: string
  dialect(): ServerDialect
}

/**
 * A system of real servers as local processes on 127.0.0.1. `find` locates the binaries (the one the user named, or
 * the machine's) and throws an EnvironmentError saying how to get them.
 */
export function serverSystem(name: string, find: (binary: string | null) => FoundServer): SystemUnderTest {
  return {
    name,
    preflight: (spec) => find(spec.serverBinary).version,
    async open(spec: ClusterSpec, environment: SystemEnvironment): Promise<OpenedCluster> {
      const found = find(spec.serverBinary)
      // An in-memory run still needs folders for the servers' files; they go with the cluster.
      const tempRunDir = environment.runDir === null ? enterableTempDir('ssc-run-') : null
      const cluster = await ServerCluster.start({
        dialect: found.dialect(),
        runDir: environment.runDir ?? (tempRunDir as string),
        storeDir: environment.storeDir,
        replicas: spec.replicas,
        semiSyncReplicas: spec.semiSyncReplicas,
        semiSync: spec.master.enabled,
        waitPoint: spec.master.waitPoint,
        timeoutMs: spec.master.timeoutMs,
        waitNoReplica: spec.master.waitNoSlave,
        waitForReplicaCount: spec.master.waitForSlaveCount,
        syncRelayLog: spec.syncRelayLog,
        tables: spec.tables,
        keepData: spec.keepData,
        toxiproxy: spec.network === 'proxy' ? await environment.toxiproxy() : null,
        log: environment.log,
        onTeardown: tempRunDir === null ? undefined : () => rmSync(tempRunDir, { recursive: true, force: true }),
      })
      const streams = new RandomStreams(spec.seed)
      return {
        cluster,
        drive: (main) => main(),
        killNow: () => cluster.killAllNow(),
        stream: (name) => streams.stream(name),
        eventsProcessed: () => 0,
        logs: () => ({}),
      }
    },
  }
}
