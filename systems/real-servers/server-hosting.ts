import type { Account, RunCredentials } from './run-credentials.js'
import type { ServerSettings } from './server-options.js'

/** How one start of a node's server differs from the last: the port it binds, and the extra start options. */
export interface StartRequest {
  port: number
  /** Option lines for this start only (the dialect's `startOptions`). */
  startOptions: string[]
  /** Polled until it says the server accepts the harness's connections. */
  ready: () => Promise<boolean>
}

/**
 * One node's server, wherever it runs (a local process, a container): what the cluster and the nemesis do to it. A
 * start that fails throws a {@link ServerStartError} carrying the tail of the server's log.
 */
export interface ServerInstance {
  readonly isRunning: boolean
  start(request: StartRequest): Promise<void>
  /** SIGKILL, then waits until it is gone. */
  kill(): Promise<void>
  /** SIGSTOP / freezes it. */
  pause(): Promise<void>
  resume(): Promise<void>
  /** Waits for the server to exit on its own (it shuts itself down after a clone); false if it still runs. */
  awaitExit(timeoutMs: number): Promise<boolean>
  /** The last lines of the server's error log, for messages. */
  logTail(lines?: number): Promise<string>
  /** Kills it (paused or not) and removes what it leaves (its data, unless the run keeps it). */
  remove(): Promise<void>
}

/**
 * Where a cluster's servers run: local processes with their files in the run folder, or containers of an image. The
 * cluster talks SQL to each on 127.0.0.1 whichever it is; the hosting makes the servers and removes them.
 */
export interface ServerHosting {
  /** Product and where it runs, for messages (`MariaDB 10.11.6 processes`, `container image mysql:8.4`). */
  readonly description: string
  /** The account the harness administers (and replicates) with: created with the run's admin password. */
  adminAccount(credentials: RunCredentials): Account
  /** What every node shares, made once before the nodes (a datadir template, a socket folder); lines to log. */
  prepare(): Promise<string[]>
  /** A node's server, not started yet. */
  node(settings: ServerSettings, credentials: RunCredentials): ServerInstance
  /** After every node was removed: removes what `prepare` made. */
  close(): Promise<void>
  /** Synchronous last resort for exit handlers (nothing can be awaited there): kill every server it made, now. */
  killNow(): void
}
