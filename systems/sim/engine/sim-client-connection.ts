import type { Port, SimNetwork } from '../simulator/network.js'
import type { Simulator } from '../simulator/simulator.js'
import { DbError } from '../../../core/sql/db-error.js'
import type { Statement, StatementResult } from '../../../core/sql/statement.js'
import type { WireMessage } from './wire.js'

export type StatementCallback = (outcome: { ok: true; result: StatementResult } | { ok: false; error: DbError }) => void

interface Pending {
  id: number
  callback: StatementCallback
  timer: ReturnType<Simulator['schedule']> | undefined
}

/**
 * A client's connection to one simulated server (one session). Like a driver, it connects on first use and
 * reconnects after a loss. A statement whose connection breaks or times out after it was sent ends `connection-lost`
 * or `timeout` (unknown outcome); one that could not even be sent ends `connection-refused`/`connect-timeout`.
 */
export class SimClientConnection {
  private port: Port<WireMessage> | null = null
  private connecting: Array<() => void> | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()

  constructor(
    private readonly sim: Simulator,
    private readonly network: SimNetwork<WireMessage>,
    readonly node: string,
    private readonly endpoint = 'clients',
  ) {}

  execute(statement: Statement, timeoutNs: number | null, callback: StatementCallback): void {
    this.withPort((port, error) => {
      if (!port) return callback({ ok: false, error: error as DbError })
      const id = this.nextId++
      const entry: Pending = { id, callback, timer: undefined }
      if (timeoutNs !== null) {
        entry.timer = this.sim.schedule(timeoutNs, () => {
          if (!this.pending.delete(id)) return
          // A driver that times out abandons the connection; the server may still commit.
          this.dropPort()
          callback({ ok: false, error: new DbError('timeout', this.node, `no reply after ${timeoutNs / 1e6} ms`) })
        })
      }
      this.pending.set(id, entry)
      port.send({ t: 'query', id, statement })
    })
  }

  close(): void {
    this.dropPort()
  }

  private withPort(use: (port: Port<WireMessage> | null, error?: DbError) => void): void {
    if (this.port?.isOpen) return use(this.port)
    if (this.connecting) {
      this.connecting.push(() => use(this.port, this.port ? undefined : new DbError('connection-refused', this.node)))
      return
    }
    this.connecting = []
    this.network.connect(this.endpoint, this.node, (result) => {
      const waiting = this.connecting ?? []
      this.connecting = null
      if (!result.ok) {
        const error = new DbError(result.reason === 'refused' ? 'connection-refused' : 'connect-timeout', this.node)
        use(null, error)
        for (const next of waiting) next()
        return
      }
      const port = result.port
      this.port = port
      port.onMessage = (message) => this.onMessage(message)
      port.onClose = () => this.onClose(port)
      use(port)
      for (const next of waiting) next()
    })
  }

  private onMessage(message: WireMessage): void {
    if (message.t !== 'result' && message.t !== 'error') return
    const entry = this.pending.get(message.id)
    if (!entry) return
    this.pending.delete(message.id)
    this.sim.cancel(entry.timer)
    if (message.t === 'result') entry.callback({ ok: true, result: message.result })
    else entry.callback({ ok: false, error: new DbError(message.code, this.node, message.detail) })
  }

  private onClose(port: Port<WireMessage>): void {
    if (this.port === port) this.port = null
    this.failPending('connection-lost', 'Lost connection to server during query')
  }

  private dropPort(): void {
    const port = this.port
    this.port = null
    if (port) port.close()
    this.failPending('connection-lost', 'connection closed by the client')
  }

  private failPending(code: 'connection-lost', detail: string): void {
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const entry of pending) {
      this.sim.cancel(entry.timer)
      entry.callback({ ok: false, error: new DbError(code, this.node, detail) })
    }
  }
}
