import { writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import type Dockerode from 'dockerode'
import type { StartedTestContainer } from 'testcontainers'
import type { ServerInstance, StartRequest } from '../real-servers/server-hosting.js'
import { ServerStartError } from '../real-servers/server-start-error.js'
import type { ContainerEngine } from './container-engine.js'
import { demultiplexLog } from './container-logs.js'
import { settlesWithin } from '../real-servers/settles-within.js'

/**
 * The option file written into the container before every start: the port of that start and its start options. The
 * official images (and ours) read /etc/mysql/conf.d; the settings themselves are the container's command.
 */
export const START_OPTIONS_FILE = '/etc/mysql/conf.d/zz-semisync-chaos-start.cnf'

export function startOptionsFile(port: number, startOptions: readonly string[]): string {
  return ['# written by semisync-chaos before each start', '[mysqld]', `port=${port}`, ...startOptions, ''].join('\n')
}

export interface ContainerServerSpec {
  engine: ContainerEngine
  image: string
  /** The node's name (`n1`), for messages. */
  node: string
  /** The server program's name, for messages. */
  program: string
  /** The container's name (unique on the engine). */
  containerName: string
  /** The node's setting lines, passed to the server as `--name=value` arguments. */
  settings: readonly string[]
  environment: Record<string, string>
  labels: Record<string, string>
  /** Where the container's log is saved when it is removed (the node's folder in the run folder); null: nowhere. */
  logFile: string | null
  /** How long the first start may take to accept connections (an official image initializes its datadir). */
  firstStartTimeoutMs: number
  /** How long a later start may take. */
  startTimeoutMs: number
}

/**
 * A node's server as a container on the host's network (so it binds 127.0.0.1 like a local process, and Toxiproxy
 * in front of it needs no route into a container network). Created by testcontainers at the first start; after that
 * the same container is killed, frozen and started again through the engine's API, keeping its data like a machine
 * keeps its disk.
 */
export class ContainerServer implements ServerInstance {
  private started: StartedTestContainer | null = null
  private container: Dockerode.Container | null = null
  private running = false
  private paused = false
  /** Settles when the current start's container stops. */
  private exited: Promise<void> = Promise.resolve()
  /** The port of the current start. */
  private port = 0
  /** The engine's side of the last kill (it may finish its bookkeeping after the server is dead). */
  private killing: Promise<void> = Promise.resolve()

  constructor(private readonly spec: ContainerServerSpec) {}

  get isRunning(): boolean {
    return this.running
  }

  /** The container's id, from its creation until its removal. */
  get id(): string | null {
    return this.started?.getId() ?? null
  }

  async start(request: StartRequest): Promise<void> {
    if (this.running) return
    await this.killing
    const { spec } = this
    this.port = request.port
    const file = [
      { content: startOptionsFile(request.port, request.startOptions), target: START_OPTIONS_FILE, mode: 0o644 },
    ]
    const first = this.started === null
    // What the container logged before this start, so that a failure is judged on this start's lines alone.
    const logStart = first ? 0 : (await this.log()).length
    try {
      if (this.started === null) {
        const { GenericContainer } = spec.engine.testcontainers
        this.started = await new GenericContainer(spec.image)
          .withName(spec.containerName)
          .withNetworkMode('host')
          .withEnvironment(spec.environment)
          .withLabels(spec.labels)
          .withCommand(spec.settings.map((line) => `--${line}`))
          .withCopyContentToContainer(file)
          .start()
        this.container = spec.engine.client.container.getById(this.started.getId())
      } else {
        await this.started.copyContentToContainer(file)
        await spec.engine.client.container.start(this.container as Dockerode.Container)
      }
    } catch (error) {
      throw new ServerStartError(spec.node, spec.program, `container of ${spec.image}: ${(error as Error).message}`)
    }
    this.running = true
    this.paused = false
    this.watchExit()
    const deadline = Date.now() + (first ? spec.firstStartTimeoutMs : spec.startTimeoutMs)
    for (;;) {
      if (!this.running) throw await this.startError('its container exited', logStart)
      if (await request.ready()) return
      if (Date.now() > deadline) {
        await this.kill()
        throw await this.startError('not ready in its container', logStart)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  /** A failed start, judged on what the container logged since `logStart` (one read of the log). */
  private async startError(what: string, logStart: number): Promise<ServerStartError> {
    const log = await this.log()
    return new ServerStartError(this.spec.node, this.spec.program, `${what}; ${tailOf(log)}`, log.slice(logStart))
  }

  private watchExit(): void {
    const container = this.container as Dockerode.Container
    const stopped = (): void => {
      this.running = false
      this.paused = false
    }
    this.exited = container.wait().then(stopped, stopped)
  }

  /**
   * SIGKILL. The server is dead when its port refuses connections (the kernel closed its sockets): that is when the
   * kill is done, as for a local process. The engine's own kill call can take a second more (Podman waits for its
   * cleanup), which would delay the failover that follows and shrink the windows the scenarios depend on; the next
   * start waits for it.
   */
  async kill(): Promise<void> {
    const container = this.container
    if (!this.running || !container) return
    const paused = this.paused
    this.killing = container
      .kill({ signal: 'SIGKILL' })
      .catch(async (error: unknown) => {
        // An engine that will not signal a frozen container: thaw it and kill it at once.
        if (!paused) throw error
        await container.unpause()
        await container.kill({ signal: 'SIGKILL' })
      })
      .then(() => this.exited)
    // Awaited by the next start; meanwhile a late failure must not surface as an unhandled rejection.
    this.killing.catch(() => undefined)
    let settled = false
    try {
      await Promise.race([this.killing, untilRefused(this.port, () => settled)])
    } finally {
      settled = true
    }
    this.running = false
    this.paused = false
  }

  async pause(): Promise<void> {
    if (!this.running || this.paused || !this.container) return
    await this.container.pause()
    this.paused = true
  }

  async resume(): Promise<void> {
    if (!this.running || !this.paused || !this.container) return
    await this.container.unpause()
    this.paused = false
  }

  async awaitExit(timeoutMs: number): Promise<boolean> {
    if (!this.running) return true
    return settlesWithin(this.exited, timeoutMs)
  }

  /** The whole log (both streams, in order), or '' when there is no container or the engine will not say. */
  private async log(tail?: number): Promise<string> {
    if (!this.container) return ''
    try {
      const raw = (await this.container.logs({
        stdout: true,
        stderr: true,
        follow: false,
        ...(tail === undefined ? {} : { tail }),
      })) as unknown as Buffer
      return demultiplexLog(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
    } catch {
      return ''
    }
  }

  async logTail(lines = 5): Promise<string> {
    return tailOf(await this.log(lines), lines)
  }

  async remove(): Promise<void> {
    if (!this.container) return
    if (this.spec.logFile) writeFileSync(this.spec.logFile, await this.log())
    // Forced: a running or frozen container goes too, with its anonymous volumes (official images declare one).
    await this.container.remove({ force: true, v: true })
    this.running = false
    this.container = null
    this.started = null
  }
}

/** The last `lines` lines of a container log, for messages. */
function tailOf(log: string, lines = 5): string {
  const text = log.trim()
  return text === '' ? 'no container log' : `container log: ${text.split('\n').slice(-lines).join(' | ')}`
}

/** Resolves once nothing accepts connections on 127.0.0.1:`port` (or once `given up` says to stop looking). */
async function untilRefused(port: number, givenUp: () => boolean): Promise<void> {
  while (!givenUp()) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port })
      socket.once('connect', () => {
        socket.destroy()
        resolve(false)
      })
      socket.once('error', () => resolve(true))
    })
    if (refused) return
    await new Promise((r) => setTimeout(r, 20))
  }
}
