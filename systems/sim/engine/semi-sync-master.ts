import type { Flavor, SemiSyncMasterSettings } from '../../../core/semisync/semi-sync-settings.js'

/** Timers owned by the server process, so a paused or killed server stops its timers too. */
export interface NodeTimers {
  setTimer(delayNs: number, run: () => void): unknown
  clearTimer(handle: unknown): void
}

/** How a waiting commit ended. `acked`: a replica acknowledged it; otherwise it returns without an ack. */
export type WaitOutcome = 'acked' | 'not-acked' | 'killed'

interface Waiter {
  pos: number
  sessionId: number
  /** Transactions that ride on this wait (a MariaDB AFTER_SYNC group waits once, for its last position). */
  transactions: number
  timer: unknown
  done: (outcome: WaitOutcome) => void
}

/**
 * The primary side of semi-sync (MariaDB `Repl_semi_sync_master`, MySQL `ReplSemiSyncMaster`): the list of
 * transactions waiting for an ack, the ack container, the ON/OFF state with its silent timeout fallback and the
 * switch back ON, and the status counters. Positions are this server's binlog end positions.
 */
export class SemiSyncMaster {
  private status: 'ON' | 'OFF'
  /** Binlog end positions of transactions that must wait for an ack (the active transaction list). */
  private readonly active = new Set<number>()
  private readonly waiters: Waiter[] = []
  /** The largest position acked by enough replicas: every waiter at or below it may go. */
  private replyPos = 0
  /** Each semi-sync replica's latest acked position (the ack container, for wait_for_slave_count). */
  private readonly ackedBy = new Map<number, number>()
  /** The largest position any transaction has written (`m_commit_file`), kept even while OFF. */
  private commitPos = 0
  private readonly clients = new Set<number>()
  private yesTx = 0
  private noTx = 0
  private noTimes = 0
  private requestAck = 0
  private getAck = 0

  constructor(
    private readonly flavor: Flavor,
    private settings: SemiSyncMasterSettings,
    private readonly timers: NodeTimers,
    private readonly log: (message: string) => void,
  ) {
    this.status = this.initialStatus()
  }

  get enabled(): boolean {
    return this.settings.enabled
  }

  get isOn(): boolean {
    return this.status === 'ON'
  }

  get waitPoint(): SemiSyncMasterSettings['waitPoint'] {
    return this.settings.waitPoint
  }

  /** `SET GLOBAL rpl_semi_sync_master_*`; enabling resets the state as the servers do. */
  configure(settings: SemiSyncMasterSettings): void {
    const wasEnabled = this.settings.enabled
    this.settings = settings
    if (!settings.enabled && wasEnabled) this.switchOff('disabled')
    if (settings.enabled && !wasEnabled) {
      this.commitPos = 0
      this.status = this.initialStatus()
    }
  }

  /** After the binlog write (`report_binlog_update`): should this transaction wait for an ack? */
  reportBinlogUpdate(pos: number): void {
    if (!this.settings.enabled) return
    this.commitPos = Math.max(this.commitPos, pos)
    if (this.status !== 'ON') return
    // MariaDB inserts only when a semi-sync replica is connected or wait_no_slave is ON.
    if (this.flavor === 'mariadb' && this.clients.size === 0 && !this.settings.waitNoSlave) return
    this.active.add(pos)
    this.requestAck++
  }

  /** The commit's wait (`commit_trx`), at the wait point. `done` runs once, maybe at once. */
  waitForAck(pos: number, sessionId: number, done: (outcome: WaitOutcome) => void, transactions = 1): void {
    if (!this.settings.enabled) return done('not-acked')
    if (this.status !== 'ON') {
      this.noTx += transactions
      return done('not-acked')
    }
    // Acked before its session reached the wait (the ack left the active list already): no wait, and it counts as
    // yes, as `commit_trx` finds the reply position past it. Found by the semi-sync status checker (no_tx grew while ON).
    if (this.replyPos >= pos) {
      this.active.delete(pos)
      this.yesTx += transactions
      return done('acked')
    }
    if (!this.active.has(pos)) {
      this.noTx += transactions
      return done('not-acked')
    }
    const waiter: Waiter = { pos, sessionId, transactions, done, timer: undefined }
    waiter.timer = this.timers.setTimer(this.settings.timeoutMs * 1_000_000, () => {
      this.log(`Timeout waiting for reply of binlog (pos: ${pos}), semi-sync up to position ${this.replyPos}.`)
      this.switchOff('timeout')
    })
    this.waiters.push(waiter)
  }

  /** An ack from replica `serverId` for everything up to `pos` (`report_reply_binlog`). */
  onAck(serverId: number, pos: number): void {
    if (!this.settings.enabled) return
    this.getAck++
    this.ackedBy.set(serverId, Math.max(this.ackedBy.get(serverId) ?? 0, pos))
    this.advanceReply(this.quorumPosition(), serverId)
  }

  /**
   * A semi-sync replica's dump thread started at `startPos` (`add_slave` + the start position reported as a reply).
   * MariaDB reports the position of the GTID the replica asked for; MySQL's auto-positioned dump starts at the head of
   * a binlog file, behind any commit, so it switches the status ON only if nothing was written since enabling.
   */
  addSlave(serverId: number, startPos: number): void {
    this.clients.add(serverId)
    if (!this.settings.enabled) return
    const reported = this.flavor === 'mysql' ? 0 : startPos
    this.ackedBy.set(serverId, Math.max(this.ackedBy.get(serverId) ?? 0, reported))
    this.advanceReply(this.quorumPosition(), serverId)
  }

  /** The replica's dump thread ended (`remove_slave`). */
  removeSlave(serverId: number): void {
    if (!this.clients.delete(serverId)) return
    this.ackedBy.delete(serverId)
    if (!this.settings.enabled || this.settings.waitNoSlave) return
    if (this.flavor === 'mysql') {
      if (this.clients.size < this.settings.waitForSlaveCount && this.status === 'ON')
        this.switchOff('too few replicas')
    } else if (this.clients.size === 0) {
      // MariaDB: wake the waiters, but the status stays ON.
      this.active.clear()
      this.releaseAll()
    }
  }

  /**
   * `KILL` of a session that waits for an ack. MariaDB releases it at once: the transaction stays committed without
   * an ack. MySQL's wait loop does not look at the kill flag: the session goes on waiting (returns false).
   */
  killWaiter(sessionId: number): boolean {
    if (this.flavor === 'mysql') return false
    const index = this.waiters.findIndex((w) => w.sessionId === sessionId)
    if (index < 0) return false
    const [waiter] = this.waiters.splice(index, 1)
    if (!waiter) return false
    this.timers.clearTimer(waiter.timer)
    this.active.delete(waiter.pos)
    this.noTx += waiter.transactions
    waiter.done('killed')
    return true
  }

  isWaiting(sessionId: number): boolean {
    return this.waiters.some((w) => w.sessionId === sessionId)
  }

  /** Every waiter, and the state, vanish with the process. */
  crash(): void {
    for (const waiter of this.waiters) this.timers.clearTimer(waiter.timer)
    this.waiters.length = 0
    this.active.clear()
  }

  counters(): {
    status: 'ON' | 'OFF'
    clients: number
    yesTx: number
    noTx: number
    noTimes: number
    waitSessions: number
    requestAck: number
    getAck: number
  } {
    return {
      status: this.settings.enabled ? this.status : 'OFF',
      clients: this.clients.size,
      yesTx: this.yesTx,
      noTx: this.noTx,
      noTimes: this.noTimes,
      waitSessions: this.waiters.length,
      requestAck: this.requestAck,
      getAck: this.getAck,
    }
  }

  private initialStatus(): 'ON' | 'OFF' {
    // MySQL starts OFF when wait_no_replica is OFF and too few replicas are connected.
    if (this.flavor === 'mysql' && !this.settings.waitNoSlave) {
      return this.clients.size >= this.settings.waitForSlaveCount ? 'ON' : 'OFF'
    }
    return 'ON'
  }

  /** The position acked by at least `waitForSlaveCount` distinct replicas. */
  private quorumPosition(): number {
    const count = this.flavor === 'mysql' ? this.settings.waitForSlaveCount : 1
    const positions = [...this.ackedBy.values()].sort((a, b) => b - a)
    return positions[count - 1] ?? 0
  }

  private advanceReply(pos: number, serverId: number): void {
    if (pos > this.replyPos) this.replyPos = pos
    if (this.status === 'ON') {
      for (const p of this.active) if (p <= this.replyPos) this.active.delete(p)
      const released = this.waiters.filter((w) => w.pos <= this.replyPos)
      if (released.length > 0) {
        this.removeWaiters(released)
        for (const waiter of released) {
          this.yesTx += waiter.transactions
          waiter.done('acked')
        }
      }
      return
    }
    // OFF: switch back ON once a replica has acked everything written so far.
    if (this.replyPos >= this.commitPos) {
      this.status = 'ON'
      this.log(`Semi-sync replication switched ON with slave (server_id: ${serverId}) at position ${this.replyPos}`)
    }
  }

  /** ON→OFF (`switch_off`): clear the active list and wake every waiter; each returns OK without an ack. */
  private switchOff(reason: string): void {
    if (this.status === 'ON') {
      this.status = 'OFF'
      this.noTimes++
      this.log(`Semi-sync replication switched OFF (${reason}).`)
    }
    this.active.clear()
    this.releaseAll()
  }

  private releaseAll(): void {
    const released = this.waiters.splice(0)
    for (const waiter of released) {
      this.timers.clearTimer(waiter.timer)
      this.noTx += waiter.transactions
      waiter.done('not-acked')
    }
  }

  private removeWaiters(released: Waiter[]): void {
    for (const waiter of released) {
      this.timers.clearTimer(waiter.timer)
      const index = this.waiters.indexOf(waiter)
      if (index >= 0) this.waiters.splice(index, 1)
    }
  }
}
