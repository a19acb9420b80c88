import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Account, RunCredentials } from '../real-servers/run-credentials.js'
import type { ServerDialect } from '../real-servers/server-dialect.js'
import type { ServerHosting, ServerInstance } from '../real-servers/server-hosting.js'
import type { ServerSettings } from '../real-servers/server-options.js'
import { containerEngine, type ContainerEngine } from './container-engine.js'
import { currentOwner, LABELS, ownerLabel } from './container-owner.js'
import { reapOrphanContainers } from './container-reaper.js'
import { ContainerServer } from './container-server.js'
import { removeContainersNow } from './remove-containers-now.js'

export interface ContainerHostingSpec {
  dialect: ServerDialect
  image: string
  /** The run folder: each node's container log is saved to `nodes/<name>/error.log` when it is removed. */
  runDir: string
}

/**
 * The official images' environment contract (both spellings: MariaDB's images read either): root gets the run's admin
 * password and is reachable from 127.0.0.1 only; no time zone tables are loaded, since an image that loads them with
 * binary logging on would give every node transactions of its own.
 */
export function officialImageEnvironment(adminPassword: string): Record<string, string> {
  const environment: Record<string, string> = {}
  for (const prefix of ['MYSQL', 'MARIADB']) {
    environment[`${prefix}_ROOT_PASSWORD`] = adminPassword
    environment[`${prefix}_ROOT_HOST`] = '127.0.0.1'
    environment[`${prefix}_INITDB_SKIP_TZINFO`] = '1'
  }
  return environment
}

/**
 * Servers as containers of one image (an official `mysql`/`mariadb` image, or one that follows their contract),
 * through testcontainers, on the host network. Every container is labelled with the run and its owner process; all of
 * them are removed at the end, and containers of runs whose harness died are removed before a run starts.
 */
export class ContainerHosting implements ServerHosting {
  private engine: ContainerEngine | null = null
  private readonly servers: ContainerServer[] = []
  /** Names the run's containers: unique on the engine, short enough to read in `docker ps`. */
  private readonly runTag = `ssc-${randomBytes(4).toString('hex')}`
  private readonly owner = ownerLabel(currentOwner())

  constructor(private readonly spec: ContainerHostingSpec) {}

  get description(): string {
    return `${this.spec.dialect.product} in containers of ${this.spec.image}`
  }

  /** The official images' superuser, with the run's admin password. */
  adminAccount(credentials: RunCredentials): Account {
    return { user: 'root', password: credentials.admin.password }
  }

  async prepare(): Promise<string[]> {
    this.engine = await containerEngine()
    return reapOrphanContainers(this.engine.client)
  }

  node(settings: ServerSettings, credentials: RunCredentials): ServerInstance {
    if (!this.engine) throw new Error('prepare() the hosting before its nodes')
    const { spec } = this
    const folder = join(spec.runDir, 'nodes', settings.name)
    mkdirSync(folder, { recursive: true })
    const server = new ContainerServer({
      engine: this.engine,
      image: spec.image,
      node: settings.name,
      program: spec.dialect.program,
      containerName: `${this.runTag}-${settings.name}`,
      settings: spec.dialect.settings(settings),
      environment: officialImageEnvironment(credentials.admin.password),
      labels: {
        [LABELS.owner]: this.owner,
        [LABELS.run]: spec.runDir,
        [LABELS.node]: settings.name,
      },
      logFile: join(folder, 'error.log'),
      firstStartTimeoutMs: 180_000,
      startTimeoutMs: 120_000,
    })
    this.servers.push(server)
    return server
  }

  /** Sweeps anything of this run the engine still holds (a container whose creation failed half-way). */
  async close(): Promise<void> {
    if (!this.engine) return
    const { dockerode } = this.engine.client.container
    const left = await dockerode.listContainers({
      all: true,
      filters: { label: [`${LABELS.owner}=${this.owner}`, `${LABELS.run}=${this.spec.runDir}`] },
    })
    for (const info of left) await dockerode.getContainer(info.Id).remove({ force: true, v: true })
  }

  killNow(): void {
    removeContainersNow(this.servers.map((server) => server.id).filter((id): id is string => id !== null))
  }
}
