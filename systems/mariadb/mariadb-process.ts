import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { EnvironmentError } from '../../core/errors/environment-error.js'
import type { NodePaths } from './server-options.js'

/** How a node is (re)started. */
export interface StartOptions {
  /** `--init-rpl-role=SLAVE`: crash recovery truncates binlogged transactions the engine never committed. */
  asReplica: boolean
}

/** A mariadbd that did not come up; carries the tail of its error log. */
export class ServerStartError extends EnvironmentError {
  constructor(
    readonly node: string,
    detail: string,
  ) {
    super(`${node}: mariadbd did not start: ${detail}`)
    this.name = 'ServerStartError'
  }
}

/**
 * One mariadbd process: start (with the node's option file), kill -9, SIGSTOP/SIGCONT, and a clean stop. The pid is
 * also in the node's pid file, so a later run can find a server this one left behind.
 */
export class MariadbProcess {
  private child: ChildProcess | null = null
  private exited: Promise<void> = Promise.resolve()
  private paused = false

  constructor(
    readonly node: string,
    private readonly mariadbd: string,
    readonly paths: NodePaths,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null
  }

  get isRunning(): boolean {
    return this.child !== null
  }

  get isPaused(): boolean {
    return this.paused
  }

  /** Spawns mariadbd; `ready` decides when it accepts connections (polled until `timeoutMs`). */
  async start(options: StartOptions, ready: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    if (this.child) return
    const args = [`--defaults-file=${this.paths.config}`]
    if (options.asReplica) args.push('--init-rpl-role=SLAVE')
    const child = spawn(this.mariadbd, args, { stdio: 'ignore' })
    this.child = child
    this.paused = false
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        if (this.child === child) this.child = null
        resolve()
      })
      child.once('error', () => {
        if (this.child === child) this.child = null
        resolve()
      })
    })
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (!this.child) throw new ServerStartError(this.node, `it exited; ${this.errorLogTail()}`)
      if (await ready()) return
      if (Date.now() > deadline) {
        await this.kill()
        throw new ServerStartError(this.node, `not ready after ${timeoutMs} ms; ${this.errorLogTail()}`)
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  /** kill -9, then wait for the process to be gone. */
  async kill(): Promise<void> {
    const child = this.child
    if (!child) return
    child.kill('SIGKILL')
    await this.exited
    this.paused = false
  }

  pause(): void {
    if (!this.child || this.paused) return
    this.child.kill('SIGSTOP')
    this.paused = true
  }

  resume(): void {
    if (!this.child || !this.paused) return
    this.child.kill('SIGCONT')
    this.paused = false
  }

  /** A clean shutdown (SIGTERM), falling back to SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child
    if (!child) return
    if (this.paused) this.resume()
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await this.exited
    clearTimeout(timer)
  }

  /** Synchronous kill for exit handlers, where nothing can be awaited. */
  killNow(): void {
    if (!this.child) return
    try {
      this.child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }

  errorLogTail(lines = 5): string {
    if (!existsSync(this.paths.errorLog)) return 'no error log'
    const text = readFileSync(this.paths.errorLog, 'utf8').trim().split('\n')
    return `error log: ${text.slice(-lines).join(' | ')}`
  }
}
