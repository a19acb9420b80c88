import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { ServerStartError } from './server-start-error.js'
import type { NodePaths } from './node-folder.js'
import { settlesWithin } from './settles-within.js'

/**
 * One server process (mariadbd, mysqld): start with the node's option file, kill -9, SIGSTOP/SIGCONT, and a clean
 * stop. The pid is also in the node's pid file, so a later run can find a server this one left behind.
 */
export class ServerProcess {
  private child: ChildProcess | null = null
  private exited: Promise<void> = Promise.resolve()
  private paused = false

  constructor(
    readonly node: string,
    /** What to run: the server binary, or a wrapper that execs it. */
    private readonly binary: string,
    /** The server's name in messages and command lines (`mariadbd`, `mysqld`). */
    readonly program: string,
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

  /**
   * Spawns the server with its option file (which must come first) and `extraArgs`; `ready` decides when it accepts
   * connections (polled until `timeoutMs`).
   */
  async start(extraArgs: readonly string[], ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    if (this.child) return
    const logStart = this.errorLogSize()
    const child = spawn(this.binary, [`--defaults-file=${this.paths.config}`, ...extraArgs], { stdio: 'ignore' })
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
      if (!this.child) {
        throw new ServerStartError(
          this.node,
          this.program,
          `it exited; ${this.errorLogTail()}`,
          this.errorLogSince(logStart),
        )
      }
      if (await ready()) return
      if (Date.now() > deadline) {
        await this.kill()
        throw new ServerStartError(
          this.node,
          this.program,
          `not ready after ${timeoutMs} ms; ${this.errorLogTail()}`,
          this.errorLogSince(logStart),
        )
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

  /** Waits for the process to exit on its own (a server shutting itself down); false if it still runs after `timeoutMs`. */
  async awaitExit(timeoutMs: number): Promise<boolean> {
    if (!this.child) return true
    return settlesWithin(this.exited, timeoutMs)
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

  private errorLogSize(): number {
    return existsSync(this.paths.errorLog) ? statSync(this.paths.errorLog).size : 0
  }

  /** What the error log gained since it was `offset` bytes long. */
  private errorLogSince(offset: number): string {
    if (!existsSync(this.paths.errorLog)) return ''
    return readFileSync(this.paths.errorLog).subarray(offset).toString('utf8')
  }

  errorLogTail(lines = 5): string {
    if (!existsSync(this.paths.errorLog)) return 'no error log'
    const text = readFileSync(this.paths.errorLog, 'utf8').trim().split('\n')
    return `error log: ${text.slice(-lines).join(' | ')}`
  }
}
