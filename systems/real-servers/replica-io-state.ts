import type { ReplicationPositions } from './server-dialect.js'

/**
 * The IO thread's state from `SHOW SLAVE STATUS` / `SHOW REPLICA STATUS`: its running column (`Yes`, `Connecting`,
 * `No`) and last error; a thread that stopped on an error is `error`, one stopped on purpose `stopped`.
 */
export function replicaIoState(
  running: unknown,
  lastErrno: unknown,
  lastError: unknown,
): Pick<ReplicationPositions, 'io' | 'ioError'> {
  const errno = Number(lastErrno ?? 0)
  const state = String(running)
  return {
    io: state === 'Yes' ? 'running' : state === 'Connecting' ? 'connecting' : errno !== 0 ? 'error' : 'stopped',
    ioError: errno !== 0 ? `${errno}: ${String(lastError)}` : null,
  }
}
