import { isPlanted } from './planted-bugs.js'
import type { ConnectResult, Port } from '../simulator/network.js'
import type { SimFile } from '../simulator/sim-file.js'
import { formatGtid, type Gtid } from './gtid.js'
import type { ServerNode } from './server-node.js'
import type { BinlogEntry, WireMessage } from './wire.js'

export type IoState = 'stopped' | 'connecting' | 'running' | 'error'

interface QueuedEvent {
  port: Port<WireMessage>
  entry: BinlogEntry
  pos: number
  needsAck: boolean
}

/**
 * A replica's replication channel: the IO thread (dump request by GTID, relay-log append, fsync every
 * `sync_relay_log` events, then the semi-sync ack) and the SQL thread (applies relay-log transactions in order,
 * after `applyTimeNs` each). The relay log survives restarts up to its last fsync.
 */
export class ReplicationChannel {
  private masterName: string | null = null
  private io: IoState = 'stopped'
  private ioError: string | null = null
  private port: Port<WireMessage> | null = null
  private readonly ioQueue: QueuedEvent[] = []
  private ioBusy = false
  private eventsSinceSync = 0
  private sqlRunning = false
  private sqlBusy = false
  /** Stalls the SQL thread (a `LOCK TABLES … READ` on the replica, or an applier fault). */
  applierStalled = false
  /** The SQL thread's time per transaction when a fault slowed it (a slow disk or CPU: it outlives a restart). */
  private applyTimeNs: number | null = null
  /** Index into the relay log of the next record to consider for apply. */
  private applyIndex = 0
  semiSyncActive = false
  acksSent = 0

  constructor(
    private readonly host: ServerNode,
    readonly relayLog: SimFile<BinlogEntry>,
  ) {}

  get master(): string | null {
    return this.masterName
  }

  get ioState(): IoState {
    return this.io
  }

  get lastIoError(): string | null {
    return this.ioError
  }

  get isConfigured(): boolean {
    return this.masterName !== null
  }

  /** `Gtid_IO_Pos`: the last GTID received into the relay log (or applied, if that is further). */
  receivedGtid(): Gtid {
    const last = this.relayLog.at(this.relayLog.length - 1)?.gtid
    return last && last.seq > this.host.slavePos.seq ? last : this.host.slavePos
  }

  /** True when the SQL thread has applied everything the relay log holds. */
  isDrained(): boolean {
    return this.receivedGtid().seq <= this.host.slavePos.seq
  }

  /** `CHANGE MASTER TO`: a new source; the relay log is purged and replication resumes from `gtid_slave_pos`. */
  changeMaster(master: string): void {
    this.resetTo(master)
  }

  /** `START SLAVE`. */
  start(): void {
    if (!this.masterName || !this.host.isAlive) return
    this.sqlRunning = true
    if (this.io === 'stopped' || this.io === 'error') {
      this.ioError = null
      this.connect()
    }
    this.kickApplier()
  }

  /** `STOP SLAVE`. */
  stop(): void {
    this.stopIo()
    this.sqlRunning = false
  }

  /** `STOP SLAVE IO_THREAD`. */
  stopIo(): void {
    this.io = 'stopped'
    this.dropConnection()
  }

  /** `RESET SLAVE ALL`. */
  resetAll(): void {
    this.resetTo(null)
  }

  private resetTo(master: string | null): void {
    this.stop()
    this.masterName = master
    this.relayLog.truncate(0)
    this.applyIndex = 0
    this.ioError = null
  }

  /** The process died: threads stop, the relay log keeps only what was fsynced. */
  crash(): void {
    this.io = 'stopped'
    this.port = null
    this.ioQueue.length = 0
    this.ioBusy = false
    this.sqlRunning = false
    this.sqlBusy = false
    this.applierStalled = false // a new process holds no LOCK TABLES
    this.semiSyncActive = false
    this.eventsSinceSync = 0
    this.relayLog.crash()
    this.applyIndex = 0
  }

  stallApplier(stalled: boolean): void {
    this.applierStalled = stalled
    if (!stalled) this.kickApplier()
  }

  /** The SQL thread's time per transaction from now on, or the node's setting again (null). */
  setApplyTime(applyTimeNs: number | null): void {
    this.applyTimeNs = applyTimeNs
  }

  // ---- IO thread ---------------------------------------------------------------------------------------------

  private connect(): void {
    const master = this.masterName
    if (!master) return
    this.io = 'connecting'
    this.host.network.connect(
      this.host.name,
      master,
      this.host.guard((result: ConnectResult<WireMessage>) => {
        if (this.io !== 'connecting' || this.masterName !== master) {
          if (result.ok) result.port.close()
          return
        }
        if (!result.ok) return this.retryLater()
        const port = result.port
        this.port = port
        this.io = 'running'
        // rpl_semi_sync_slave_enabled is read at IO-thread start (reference fact 8).
        this.semiSyncActive = this.host.settings.semiSyncReplica
        this.acksSent = 0
        port.onMessage = this.host.guard((message: WireMessage) => this.onMessage(port, message))
        port.onClose = this.host.guard(() => {
          if (this.port !== port) return
          this.port = null
          this.semiSyncActive = false
          if (this.io === 'running') this.retryLater()
        })
        port.send({ t: 'dump', serverId: this.host.serverId, from: this.receivedGtid(), semiSync: this.semiSyncActive })
      }),
    )
  }

  private retryLater(): void {
    this.io = 'connecting'
    this.host.setTimer(this.host.settings.connectRetryNs, () => {
      if (this.io === 'connecting') this.connect()
    })
  }

  private dropConnection(): void {
    const port = this.port
    this.port = null
    this.semiSyncActive = false
    this.ioQueue.length = 0
    if (port) port.close()
  }

  private onMessage(port: Port<WireMessage>, message: WireMessage): void {
    if (port !== this.port) return
    if (message.t === 'dump-error') {
      this.io = 'error'
      this.ioError = `Got fatal error ${message.errno} from master when reading data from binary log: '${message.message}'`
      this.host.logLine(`Slave I/O: ${this.ioError}`)
      this.dropConnection()
      return
    }
    if (message.t !== 'event') return
    this.ioQueue.push({ port, entry: message.entry, pos: message.pos, needsAck: message.needsAck })
    this.pumpIo()
  }

  /** Processes received events one at a time: the IO thread blocks on the relay-log fsync. */
  private pumpIo(): void {
    if (this.ioBusy) return
    const event = this.ioQueue.shift()
    if (!event) return
    this.ioBusy = true
    const ack = (): void => {
      if (event.needsAck && this.semiSyncActive && event.port === this.port && event.port.isOpen) {
        event.port.send({ t: 'ack', pos: event.pos })
        this.acksSent++
      }
    }
    if (isPlanted('ack-before-relay-write')) {
      // The planted bug: the ack goes first, the event reaches the relay log only after a disk sync's time.
      ack()
      this.relayLog.sync(
        this.host.guard(() => {
          this.relayLog.append(event.entry)
          this.relayLog.sync(this.host.guard(() => {}))
          this.ioBusy = false
          this.kickApplier()
          this.pumpIo()
        }),
      )
      return
    }
    this.relayLog.append(event.entry)
    this.eventsSinceSync++
    const afterWrite = (): void => {
      this.ioBusy = false
      ack()
      this.kickApplier()
      this.pumpIo()
    }
    const syncEvery = this.host.settings.syncRelayLog
    if (syncEvery > 0 && this.eventsSinceSync >= syncEvery) {
      this.eventsSinceSync = 0
      this.relayLog.sync(this.host.guard(afterWrite))
    } else {
      afterWrite()
    }
  }

  // ---- SQL thread --------------------------------------------------------------------------------------------

  private kickApplier(): void {
    if (!this.sqlRunning || this.sqlBusy || this.applierStalled || !this.host.isAlive) return
    const next = this.nextToApply()
    if (!next) return
    this.sqlBusy = true
    this.host.setTimer(this.applyTimeNs ?? this.host.settings.applyTimeNs, () => {
      this.host.applyReplicated(next, () => {
        this.sqlBusy = false
        this.kickApplier()
      })
    })
  }

  private nextToApply(): BinlogEntry | undefined {
    const applied = this.host.slavePos.seq
    while (this.applyIndex < this.relayLog.length) {
      const entry = this.relayLog.at(this.applyIndex) as BinlogEntry
      if (entry.gtid.seq > applied) return entry
      this.applyIndex++
    }
    return undefined
  }

  describe(): Record<string, unknown> {
    return {
      master: this.masterName,
      io: this.io,
      ioError: this.ioError,
      received: formatGtid(this.receivedGtid()),
      applied: formatGtid(this.host.slavePos),
    }
  }
}
