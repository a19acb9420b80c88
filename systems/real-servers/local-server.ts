import { rmSync, writeFileSync } from 'node:fs'
import { localOptionFile, type NodePaths } from './node-folder.js'
import type { OrphanRegistry } from './orphan-registry.js'
import type { ServerDialect } from './server-dialect.js'
import type { ServerInstance, StartRequest } from './server-hosting.js'
import { ServerProcess } from './server-process.js'
import type { ServerUser } from './server-user.js'

/** What a local node's server needs besides its folder. */
export interface LocalServerSpec {
  name: string
  dialect: ServerDialect
  /** What to run: the server binary, or a wrapper that execs it. */
  binary: string
  paths: NodePaths
  /** The node's setting lines (the dialect's), written into its option file at every start. */
  settings: readonly string[]
  user: ServerUser | null
  registry: OrphanRegistry
  runDir: string
  keepData: boolean
}

/**
 * A node's server as a local process: its option file is written at every start (with the port of that start), and
 * the orphan registry knows it while it may run, so a later run can stop it if this one dies.
 */
export class LocalServer implements ServerInstance {
  private readonly process: ServerProcess

  constructor(private readonly spec: LocalServerSpec) {
    this.process = new ServerProcess(spec.name, spec.binary, spec.dialect.program, spec.paths)
  }

  get isRunning(): boolean {
    return this.process.isRunning
  }

  async start(request: StartRequest): Promise<void> {
    const { spec } = this
    const { paths } = spec
    writeFileSync(
      paths.config,
      localOptionFile(spec.dialect.optionGroup, spec.name, paths, request.port, spec.user, spec.settings),
    )
    spec.registry.register({
      program: spec.dialect.program,
      node: spec.name,
      runDir: spec.runDir,
      pidFile: paths.pidFile,
      datadir: paths.datadir,
    })
    await this.process.start(
      request.startOptions.map((line) => `--${line}`),
      request.ready,
    )
  }

  kill(): Promise<void> {
    return this.process.kill()
  }

  async pause(): Promise<void> {
    this.process.pause()
  }

  async resume(): Promise<void> {
    this.process.resume()
  }

  awaitExit(timeoutMs: number): Promise<boolean> {
    return this.process.awaitExit(timeoutMs)
  }

  async logTail(lines?: number): Promise<string> {
    return this.process.errorLogTail(lines)
  }

  async remove(): Promise<void> {
    this.process.resume()
    await this.process.kill()
    this.spec.registry.unregister(this.spec.runDir, this.spec.name)
    if (!this.spec.keepData) rmSync(this.spec.paths.datadir, { recursive: true, force: true })
  }

  /** For exit handlers: SIGKILL now, without waiting. */
  killNow(): void {
    this.process.killNow()
  }
}
