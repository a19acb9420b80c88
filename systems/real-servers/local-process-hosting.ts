import { mkdirSync, rmSync } from 'node:fs'
import { assertReachable, enterableTempDir, nodePaths, prepareNodeFolder, prepareSocketFolder } from './node-folder.js'
import { LocalServer } from './local-server.js'
import { OrphanRegistry } from './orphan-registry.js'
import type { Account, RunCredentials } from './run-credentials.js'
import type { ServerDialect } from './server-dialect.js'
import type { ServerHosting, ServerInstance } from './server-hosting.js'
import type { ServerSettings } from './server-options.js'
import { serverUser } from './server-user.js'

/** The server binaries found on this machine, and how their fresh data directory is made. */
export interface LocalServerBinaries {
  /** What to run: the server binary, or a wrapper that execs it. */
  binary: string
  version: string
  /** A fresh data directory to copy for every node (made once per version, cached). */
  templateDatadir(): Promise<string>
}

export interface LocalHostingSpec {
  dialect: ServerDialect
  binaries: LocalServerBinaries
  /** The run folder: each node's datadir, option file and error log go under `nodes/<name>/`. */
  runDir: string
  /** The store's root: the orphan registry of live servers lives under it. */
  storeDir: string
  /** Keep each node's data directory after the run (large); by default only logs and configs stay. */
  keepData: boolean
}

/**
 * Servers as local processes of this machine's binaries, their files in the run folder, run as an unprivileged user
 * when the harness is root. Servers an earlier run left behind (its harness killed) are stopped first.
 */
export class LocalProcessHosting implements ServerHosting {
  private readonly registry: OrphanRegistry
  /** Who the servers run as (never root). */
  private readonly user = serverUser()
  /** Unix socket paths are limited to 108 bytes; run folders can be deeper than that. */
  private socketDir: string | null = null
  private template: string | null = null
  private readonly servers: LocalServer[] = []

  constructor(private readonly spec: LocalHostingSpec) {
    this.registry = new OrphanRegistry(spec.storeDir)
  }

  get description(): string {
    return `${this.spec.dialect.product} (${this.spec.binaries.version}) as local processes`
  }

  adminAccount(credentials: RunCredentials): Account {
    return credentials.admin
  }

  async prepare(): Promise<string[]> {
    const stopped = this.registry.reap()
    this.template = await this.spec.binaries.templateDatadir()
    mkdirSync(this.spec.runDir, { recursive: true })
    assertReachable(this.spec.runDir, this.user)
    this.socketDir = enterableTempDir('ssc-')
    prepareSocketFolder(this.socketDir, this.user)
    return stopped
  }

  node(settings: ServerSettings, credentials: RunCredentials): ServerInstance {
    const { spec } = this
    if (this.template === null || this.socketDir === null) throw new Error('prepare() the hosting before its nodes')
    const paths = nodePaths(spec.runDir, this.socketDir, settings.name)
    prepareNodeFolder(this.template, paths, credentials, this.user)
    const server = new LocalServer({
      name: settings.name,
      dialect: spec.dialect,
      binary: spec.binaries.binary,
      paths,
      settings: spec.dialect.settings(settings),
      user: this.user,
      registry: this.registry,
      runDir: spec.runDir,
      keepData: spec.keepData,
    })
    this.servers.push(server)
    return server
  }

  async close(): Promise<void> {
    if (this.socketDir) rmSync(this.socketDir, { recursive: true, force: true })
  }

  killNow(): void {
    for (const server of this.servers) server.killNow()
  }
}
