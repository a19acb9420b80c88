import { rmSync } from 'node:fs'
import type {
  ClusterSpec,
  OpenedCluster,
  SystemEnvironment,
  SystemUnderTest,
} from '../../core/cluster/system-under-test.js'
import { RandomStreams } from '../../core/random/seeded-random.js'
import { findMariadb } from './mariadb-binaries.js'
import { MariadbCluster } from './mariadb-cluster.js'
import { enterableTempDir } from './node-folder.js'

/** Real MariaDB servers as local processes on 127.0.0.1 (Debian's mariadbd, or `--mariadbd`). */
export const mariadbSystem: SystemUnderTest = {
  name: 'mariadb',
  preflight: (spec) => findMariadb(spec.serverBinary ?? undefined).version,
  async open(spec: ClusterSpec, environment: SystemEnvironment): Promise<OpenedCluster> {
    // An in-memory run still needs folders for the servers' files; they go with the cluster.
    const tempRunDir = environment.runDir === null ? enterableTempDir('ssc-run-') : null
    const cluster = await MariadbCluster.start({
      binaries: findMariadb(spec.serverBinary ?? undefined),
      runDir: environment.runDir ?? (tempRunDir as string),
      storeDir: environment.storeDir,
      replicas: spec.replicas,
      semiSyncReplicas: spec.semiSyncReplicas,
      semiSync: spec.master.enabled,
      waitPoint: spec.master.waitPoint,
      timeoutMs: spec.master.timeoutMs,
      waitNoSlave: spec.master.waitNoSlave,
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
