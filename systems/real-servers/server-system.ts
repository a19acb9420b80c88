import { rmSync } from 'node:fs'
import type {
  ClusterSpec,
  OpenedCluster,
  SystemEnvironment,
  SystemUnderTest,
} from '../../core/cluster/system-under-test.js'
import { RandomStreams } from '../../core/random/seeded-random.js'
import { LocalProcessHosting, type LocalServerBinaries } from './local-process-hosting.js'
import { enterableTempDir } from './node-folder.js'
import { ServerCluster } from './server-cluster.js'
import type { ServerDialect } from './server-dialect.js'
import type { ServerHosting } from './server-hosting.js'

/** `--image official`: the product's official image. */
export const OFFICIAL_IMAGE = 'official'

/** Servers in containers (systems/containers), loaded only when a run names an image. */
export interface ContainerSupport {
  /** Checks the engine answers and the image is there (pulling it if need be); returns what will run. */
  preflight(image: string): Promise<string>
  hosting(dialect: ServerDialect, image: string, runDir: string): Promise<ServerHosting>
}

export interface ServerSystemSpec {
  name: string
  dialect: () => ServerDialect
  /**
   * Locates this machine's binaries (the one the user named, or the machine's) and throws an EnvironmentError saying
   * how to get them.
   */
  findLocal: (binary: string | null) => LocalServerBinaries
  /** What `--image official` means: the product's official image on Docker Hub. */
  officialImage: string
  containers: () => Promise<ContainerSupport>
}

/**
 * A system of real servers on 127.0.0.1: local processes of this machine's binaries, or, when the run names an image,
 * containers of it.
 */
export function serverSystem(system: ServerSystemSpec): SystemUnderTest {
  const imageOf = (spec: Pick<ClusterSpec, 'image'>): string | null =>
    spec.image === OFFICIAL_IMAGE ? system.officialImage : spec.image
  return {
    name: system.name,
    async preflight(spec) {
      const image = imageOf(spec)
      if (image !== null) return (await system.containers()).preflight(image)
      return system.findLocal(spec.serverBinary).version
    },
    async open(spec: ClusterSpec, environment: SystemEnvironment): Promise<OpenedCluster> {
      // An in-memory run still needs folders for the servers' files; they go with the cluster.
      const tempRunDir = environment.runDir === null ? enterableTempDir('ssc-run-') : null
      const runDir = environment.runDir ?? (tempRunDir as string)
      const dialect = system.dialect()
      const image = imageOf(spec)
      const hosting =
        image === null
          ? new LocalProcessHosting({
              dialect,
              binaries: system.findLocal(spec.serverBinary),
              runDir,
              storeDir: environment.storeDir,
              keepData: spec.keepData,
            })
          : await (await system.containers()).hosting(dialect, image, runDir)
      const cluster = await ServerCluster.start({
        dialect,
        hosting,
        runDir,
        replicas: spec.replicas,
        semiSyncReplicas: spec.semiSyncReplicas,
        semiSync: spec.master.enabled,
        waitPoint: spec.master.waitPoint,
        timeoutMs: spec.master.timeoutMs,
        waitNoReplica: spec.master.waitNoSlave,
        waitForReplicaCount: spec.master.waitForSlaveCount,
        syncRelayLog: spec.syncRelayLog,
        tables: spec.tables,
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
