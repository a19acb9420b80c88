import type { Simulator } from '../simulator/simulator.js'
import type { Port, SimNetwork } from '../simulator/network.js'
import { SimFile, type DiskLatency } from '../simulator/sim-file.js'
import type { DbErrorCode } from '../../../core/sql/db-error.js'
import { NO_GTID, formatGtid, sameGtid, type Gtid } from './gtid.js'
import { AfterSyncGroupCommit } from './after-sync-group-commit.js'
import { ReplicationChannel } from './replication-channel.js'
import { RowLocks } from './row-locks.js'
import { StatementExecutor, type ExecutorSession } from './statement-executor.js'
import { SemiSyncMaster, type NodeTimers, type WaitOutcome } from './semi-sync-master.js'
import type { SemiSyncMasterSettings } from '../../../core/semisync/semi-sync-settings.js'
import type { NodeSettings } from './settings.js'
import type { SemiSyncStatus } from '../../../core/semisync/semi-sync-status.js'
import type { StatementResult } from '../../../core/sql/statement.js'
import type { RowWrite } from './row-write.js'
import { StorageEngine } from './storage-engine.js'
import type { BinlogEntry, WireMessage } from './wire.js'

/** How a restarted server treats transactions that are in its binlog but were never committed in the engine. */
export type RecoveryMode =
  /** Normal restart: XA recovery commits them (MySQL Bug #99370, MariaDB X6). */
  | 'commit'
  /** MariaDB `--init-rpl-role=SLAVE`: roll them back and truncate the binlog from the first (MDEV-33465, X7). */
  | 'truncate'

interface DumpThread {
  port: Port<WireMessage>
  serverId: number
  semiSync: boolean
  /** Index of the next binlog entry to send. */
  next: number
  /** MySQL: the replica closed the link, and the source has not noticed yet (it still counts as a client). */
  closed?: boolean
  /** MySQL: the source noticed, shipping to it; it counts the replica out when the wait in progress ends. */
  noticed?: boolean
  /** The binlog's length when the dump started: what lies before is catch-up. */
  startLength: number
}

/**
 * MySQL: how long after shipping an event to a replica that closed its link the source counts it out, unless a
 * commit's wait ends first. Measured on 9.7.4 (docs/reference/semisync.md §2.2): a stopped replica stays in
 * `Rpl_semi_sync_source_clients` until then, more than 0.7 s and less than 3 s after the next commit.
 */
const MYSQL_NOTICE_CLOSED_REPLICA_NS = 1_000_000_000

interface Session extends ExecutorSession {
  port: Port<WireMessage>
}

export interface LogLine {
  time: number
  node: string
  message: string
}

/**
 * One simulated MySQL/MariaDB server process: sessions, the commit path with its semi-sync wait point, the binlog and
 * its dump threads, and (as a replica) a replication channel. All of it is synchronous state-machine code driven by
 * simulator events; a kill drops every in-memory structure and whatever the disk had not made durable.
 */
export class ServerNode implements NodeTimers {
  readonly binlog: SimFile<BinlogEntry>
  /** Committed rows; durable as committed (innodb_flush_log_at_trx_commit=1), so they survive a crash as they are. */
  private readonly engine = new StorageEngine()
  /** Binlogged transactions not yet committed in the engine (XA prepared), by GTID key, with their binlog index. */
  private readonly prepared = new Map<number | string, { index: number; replicated: boolean }>()
  private readonly binlogIndex = new Map<number | string, number>()
  private readonly locks = new RowLocks()
  private readonly executor = new StatementExecutor({
    engine: this.engine,
    locks: this.locks,
    isReadOnly: () => this.readOnly,
    lockWaitTimeoutNs: () => this.settings.lockWaitTimeoutNs,
    now: () => this.sim.now(),
    newTrxId: () => this.nextTrxId++,
    setTimer: (delayNs, run) => this.setTimer(delayNs, run),
    clearTimer: (handle) => this.clearTimer(handle),
    guard: (run) => this.guard(run),
    commitLocal: (writes, trxId, sessionId, done) => this.commitLocal(writes, trxId, sessionId, done),
  })
  private master: SemiSyncMaster
  readonly channel: ReplicationChannel
  private readonly groupCommit = new AfterSyncGroupCommit({
    writeBinlog: (writes) => this.writeBinlog(writes),
    syncBinlog: (then) => this.syncBinlog(then),
    waitForAck: (pos, sessionId, transactions, done) => this.waitForAck(pos, sessionId, done, transactions),
    commitInEngine: (entry, trxId) => this.commitInEngine(entry, trxId),
  })
  private readonly sessions = new Map<number, Session>()
  private readonly dumpThreads = new Set<DumpThread>()
  private readonly pausedWork: Array<() => void> = []
  private readonly binlogSyncWaiters: Array<() => void> = []
  private binlogSyncing = false
  private alive = false
  private paused = false
  private incarnation = 0
  private nextSessionId = 1
  private nextTrxId = 1
  private seqMax = 0
  /** `read_only`: only the replication applier may write. */
  readOnly = true
  /** `gtid_slave_pos`: the last GTID applied by replication (durable, updated with the applied transaction). */
  slavePos: Gtid = NO_GTID
  readonly log: LogLine[] = []

  constructor(
    readonly settings: NodeSettings,
    readonly sim: Simulator,
    readonly network: SimNetwork<WireMessage>,
    disk: DiskLatency,
  ) {
    const diskRandom = sim.stream(`disk:${settings.name}`)
    this.binlog = new SimFile(`${settings.name}-bin`, sim, diskRandom, disk)
    this.master = this.newMaster(settings.master)
    this.channel = new ReplicationChannel(this, new SimFile(`${settings.name}-relay-bin`, sim, diskRandom, disk))
  }

  get name(): string {
    return this.settings.name
  }

  get serverId(): number {
    return this.settings.serverId
  }

  get isAlive(): boolean {
    return this.alive
  }

  get isPaused(): boolean {
    return this.paused
  }

  get masterSettings(): SemiSyncMasterSettings {
    return this.settings.master
  }

  // ---- process lifecycle -------------------------------------------------------------------------------------

  /** Starts the server process, running crash recovery over what the disk kept. */
  start(recovery: RecoveryMode = 'commit'): void {
    if (this.alive) return
    this.recover(recovery)
    this.alive = true
    this.paused = false
    this.incarnation++
    this.master = this.newMaster(this.settings.master)
    this.network.listen(this.name, (port) => this.accept(port))
  }

  /** kill -9 with the machine's page cache lost too: the engine's crash model drops every un-fsynced write. */
  kill(): void {
    if (!this.alive) return
    this.alive = false
    this.paused = false
    this.incarnation++
    this.network.unlisten(this.name)
    this.network.closeAllOf(this.name)
    this.master.crash()
    this.groupCommit.crash()
    // The binlog tail that was never fsynced is gone, and with it any transaction it held.
    for (let i = this.binlog.durableLength; i < this.binlog.length; i++) {
      const key = gtidKey((this.binlog.at(i) as BinlogEntry).gtid)
      this.binlogIndex.delete(key)
      this.prepared.delete(key)
    }
    this.binlog.crash()
    this.seqMax = this.lastBinlogGtid().seq
    this.channel.crash()
    this.locks.clear()
    this.sessions.clear()
    this.dumpThreads.clear()
    this.pausedWork.length = 0
    this.binlogSyncWaiters.length = 0
    this.binlogSyncing = false
    this.logLine('killed')
  }

  /** SIGSTOP: nothing runs; timers and messages that come due wait for SIGCONT. */
  pause(): void {
    if (this.alive) this.paused = true
  }

  resume(): void {
    if (!this.alive || !this.paused) return
    this.paused = false
    const work = this.pausedWork.splice(0)
    for (const run of work) {
      if (this.paused || !this.alive) {
        this.pausedWork.push(run)
        continue
      }
      run()
    }
  }

  // ---- NodeTimers: timers and callbacks that die with the process and wait while it is paused -----------------

  setTimer(delayNs: number, run: () => void): unknown {
    return this.sim.schedule(delayNs, this.guard(run))
  }

  clearTimer(handle: unknown): void {
    this.sim.cancel(handle as ReturnType<Simulator['schedule']>)
  }

  /** Wraps a callback so it runs only in this incarnation of the process, and only once it is not paused. */
  guard(run: () => void): () => void
  guard<A>(run: (arg: A) => void): (arg: A) => void
  guard<A>(run: (arg?: A) => void): (arg?: A) => void {
    // One argument at most (a message, a result): no rest array per call, on the path of every event.
    const incarnation = this.incarnation
    return (arg?: A) => {
      if (incarnation !== this.incarnation || !this.alive) return
      if (this.paused) {
        this.pausedWork.push(() => {
          if (incarnation === this.incarnation && this.alive) run(arg)
        })
        return
      }
      run(arg)
    }
  }

  logLine(message: string): void {
    this.log.push({ time: this.sim.now(), node: this.name, message })
  }

  // ---- configuration and roles -----------------------------------------------------------------------------

  /** `SET GLOBAL rpl_semi_sync_master_*`. */
  configureMaster(settings: SemiSyncMasterSettings): void {
    this.settings.master = settings
    this.master.configure(settings)
  }

  /** Promotion: `STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=0`, semi-sync master settings enabled. */
  promote(settings: SemiSyncMasterSettings): void {
    this.channel.resetAll()
    this.readOnly = false
    this.configureMaster({ ...settings, enabled: true })
    this.logLine(`promoted to primary at ${formatGtid(this.lastBinlogGtid())}`)
  }

  /** `CHANGE MASTER TO MASTER_HOST=…, MASTER_USE_GTID=slave_pos; START SLAVE` with read_only=1. */
  replicateFrom(master: string): void {
    this.readOnly = true
    if (this.settings.master.enabled) this.configureMaster({ ...this.settings.master, enabled: false })
    this.channel.changeMaster(master)
    this.channel.start()
  }

  /** Demotion of an old primary before it rejoins: `SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos`. */
  adoptBinlogPositionAsSlavePosition(): void {
    this.slavePos = this.lastBinlogGtid()
  }

  // ---- introspection -----------------------------------------------------------------------------------------

  status(): SemiSyncStatus {
    const c = this.master.counters()
    return {
      Rpl_semi_sync_master_status: c.status,
      Rpl_semi_sync_master_clients: c.clients,
      Rpl_semi_sync_master_yes_tx: c.yesTx,
      Rpl_semi_sync_master_no_tx: c.noTx,
      Rpl_semi_sync_master_no_times: c.noTimes,
      Rpl_semi_sync_master_wait_sessions: c.waitSessions,
      Rpl_semi_sync_master_request_ack: c.requestAck,
      Rpl_semi_sync_master_get_ack: c.getAck,
      Rpl_semi_sync_slave_status: this.channel.semiSyncActive ? 'ON' : 'OFF',
      Rpl_semi_sync_slave_send_ack: this.channel.acksSent,
    }
  }

  /** Whether this server's binlog holds the transaction. */
  hasBinlogged(gtid: Gtid): boolean {
    return this.binlogIndex.has(gtidKey(gtid))
  }

  /** The transactions in this server's binlog that `other`'s binlog lacks (errant GTIDs when `other` is the primary). */
  binloggedOnlyHere(other: ServerNode): Gtid[] {
    return this.binlog.all().flatMap((entry) => (other.hasBinlogged(entry.gtid) ? [] : [entry.gtid]))
  }

  /** `@@gtid_binlog_pos`. */
  lastBinlogGtid(): Gtid {
    return this.binlog.at(this.binlog.length - 1)?.gtid ?? NO_GTID
  }

  /** Rows of a table as any session sees them now (committed only). */
  readTable(table: string): Array<{ key: string; value: unknown }> {
    return this.engine.rows(table)
  }

  /** Sessions blocked waiting for an ack. */
  waitingSessions(): number[] {
    return [...this.sessions.keys()].filter((id) => this.master.isWaiting(id))
  }

  /** `KILL <session>`; see {@link SemiSyncMaster.killWaiter} for how the servers differ. */
  killSession(sessionId: number): void {
    const session = this.sessions.get(sessionId)
    if (!session) return
    // MariaDB releases a killed waiter (its commit stands, unacked); MySQL's wait goes on, invisible, to its ack or
    // timeout while the client loses its connection at once (error 2013, measured on 9.7.4).
    if (!this.master.killWaiter(sessionId)) {
      session.port.close()
      this.sessions.delete(sessionId)
    }
  }

  // ---- client sessions ---------------------------------------------------------------------------------------

  private accept(port: Port<WireMessage>): boolean {
    const session: Session = {
      id: this.nextSessionId++,
      port,
      txn: null,
      reply: (id, result) => this.reply(session, id, result),
      fail: (id, code, detail) => this.fail(session, id, code, detail),
      drop: () => {
        session.port.close()
        this.sessions.delete(session.id)
      },
    }
    this.sessions.set(session.id, session)
    port.onMessage = this.guard((message: WireMessage) => this.onMessage(session, message))
    port.onClose = this.guard(() => this.onClose(session))
    return true
  }

  private onClose(session: Session): void {
    this.sessions.delete(session.id)
    this.executor.closed(session)
    for (const thread of this.dumpThreads) {
      if (thread.port !== session.port) continue
      // MySQL's dump thread learns of the closed link only when it next sends (see ship).
      if (this.settings.flavor === 'mysql' && thread.semiSync) thread.closed = true
      else this.dropDumpThread(thread)
    }
  }

  private dropDumpThread(thread: DumpThread): void {
    if (!this.dumpThreads.delete(thread)) return
    if (thread.semiSync) this.master.removeSlave(thread.serverId)
  }

  /** The commit's semi-sync wait; when it ends, replicas the source noticed gone are counted out (MySQL). */
  private waitForAck(pos: number, sessionId: number, done: (outcome: WaitOutcome) => void, transactions = 1): void {
    this.master.waitForAck(
      pos,
      sessionId,
      (outcome) => {
        for (const thread of this.dumpThreads) if (thread.noticed) this.dropDumpThread(thread)
        done(outcome)
      },
      transactions,
    )
  }

  private onMessage(session: Session, message: WireMessage): void {
    switch (message.t) {
      case 'query':
        return this.executor.execute(session, message.id, message.statement)
      case 'dump':
        return this.startDump(session, message.serverId, message.from, message.semiSync)
      case 'ack':
        return this.onAck(session, message.pos)
      default:
        return
    }
  }

  private reply(session: Session, id: number, result: StatementResult): void {
    session.port.send({ t: 'result', id, result })
  }

  private fail(session: Session, id: number, code: DbErrorCode, detail?: string): void {
    session.port.send({ t: 'error', id, code, ...(detail ? { detail } : {}) })
  }

  // ---- the commit path -------------------------------------------------------------------------------------

  /** A client transaction: binlog write + sync, then the wait point decides the order of ack wait and commit. */
  private commitLocal(
    writes: RowWrite[],
    trxId: number,
    sessionId: number,
    done: (outcome: WaitOutcome) => void,
  ): void {
    if (this.settings.flavor === 'mariadb' && this.master.waitPoint === 'after_sync') {
      return this.groupCommit.commit(writes, trxId, sessionId, done)
    }
    const { entry, pos } = this.writeBinlog(writes)
    this.syncBinlog(() => {
      if (this.master.waitPoint === 'after_sync') {
        this.waitForAck(pos, sessionId, (outcome) => {
          this.commitInEngine(entry, trxId)
          done(outcome)
        })
      } else {
        this.commitInEngine(entry, trxId)
        this.waitForAck(pos, sessionId, done)
      }
    })
  }

  /** Appends a local transaction to the binlog with the next GTID and tells semi-sync about it (`report_binlog_update`). */
  private writeBinlog(writes: RowWrite[]): { entry: BinlogEntry; pos: number } {
    const entry: BinlogEntry = { gtid: { domain: 0, serverId: this.serverId, seq: ++this.seqMax }, writes }
    const pos = this.appendBinlog(entry, false)
    this.master.reportBinlogUpdate(pos)
    return { entry, pos }
  }

  /** The replication applier's commit (log_slave_updates=ON): same binlog path, no semi-sync wait. */
  applyReplicated(entry: BinlogEntry, done: () => void): void {
    this.seqMax = Math.max(this.seqMax, entry.gtid.seq)
    this.appendBinlog(entry, true)
    this.syncBinlog(() => {
      this.commitInEngine(entry, 0)
      this.slavePos = entry.gtid
      done()
    })
  }

  private appendBinlog(entry: BinlogEntry, replicated: boolean): number {
    const index = this.binlog.append(entry)
    const key = gtidKey(entry.gtid)
    this.binlogIndex.set(key, index)
    this.prepared.set(key, { index, replicated })
    return index + 1
  }

  /** Group commit: every transaction appended before an fsync starts is made durable by it. */
  private syncBinlog(then: () => void): void {
    this.binlogSyncWaiters.push(then)
    if (!this.binlogSyncing) this.startBinlogSync()
  }

  private startBinlogSync(): void {
    this.binlogSyncing = true
    const batch = this.binlogSyncWaiters.splice(0)
    this.binlog.sync(
      this.guard(() => {
        this.binlogSyncing = false
        this.shipToReplicas()
        for (const then of batch) then()
        if (this.binlogSyncWaiters.length > 0) this.startBinlogSync()
      }),
    )
  }

  private commitInEngine(entry: BinlogEntry, trxId: number): void {
    this.engine.apply(entry.writes)
    this.prepared.delete(gtidKey(entry.gtid))
    if (trxId !== 0) this.locks.releaseAll(trxId)
  }

  // ---- dump threads (this server as a replication source) --------------------------------------------------

  private startDump(session: Session, serverId: number, from: Gtid, semiSync: boolean): void {
    const start = this.locateDumpStart(from)
    if (typeof start === 'string') {
      session.port.send({ t: 'dump-error', errno: 1236, message: start })
      session.port.close()
      this.sessions.delete(session.id)
      return
    }
    // A new dump thread for a replica replaces its old one (MySQL kills the "zombie dump thread").
    for (const old of this.dumpThreads) if (old.serverId === serverId) this.dropDumpThread(old)
    const thread: DumpThread = { port: session.port, serverId, semiSync, next: start, startLength: this.binlog.length }
    this.dumpThreads.add(thread)
    if (semiSync) this.master.addSlave(serverId, start)
    this.ship(thread)
  }

  /** Where a replica asking to start after `from` begins, or the 1236 error the server would give. */
  private locateDumpStart(from: Gtid): number | string {
    if (from.seq === 0) return 0
    const index = this.binlogIndex.get(gtidKey(from))
    const entry = index === undefined ? undefined : this.binlog.at(index)
    if (index !== undefined && entry && sameGtid(entry.gtid, from) && index < this.binlog.durableLength)
      return index + 1
    const wanted = formatGtid(from)
    if (this.seqMax >= from.seq) {
      return (
        `Error: connecting slave requested to start from GTID ${wanted}, which is not in the master's binlog. ` +
        `Since the master's binlog contains GTIDs with higher sequence numbers, it probably means that the slave has ` +
        `diverged due to executing extra erroneous transactions`
      )
    }
    return `Error: connecting slave requested to start from GTID ${wanted}, which is not in the master's binlog`
  }

  private shipToReplicas(): void {
    for (const thread of this.dumpThreads) this.ship(thread)
  }

  private ship(thread: DumpThread): void {
    if (thread.closed) {
      if (thread.next < this.binlog.durableLength && !thread.noticed) {
        thread.noticed = true
        this.logLine(`Semi-sync source failed on net_flush() before waiting for replica reply.`)
        this.setTimer(MYSQL_NOTICE_CLOSED_REPLICA_NS, () => this.dropDumpThread(thread))
      }
      return
    }
    while (thread.next < this.binlog.durableLength) {
      const entry = this.binlog.at(thread.next) as BinlogEntry
      // MySQL, semi-sync OFF: catch-up events ask for no ack, so a replica that reconnects to an idle primary does
      // not switch it ON; the first transaction after it does, once acked (measured on 9.7.4, C3/C4).
      const catchUp = this.settings.flavor === 'mysql' && !this.master.isOn && thread.next < thread.startLength
      thread.next++
      thread.port.send({ t: 'event', entry, pos: thread.next, needsAck: thread.semiSync && !catchUp })
    }
  }

  private onAck(session: Session, pos: number): void {
    for (const thread of this.dumpThreads) {
      if (thread.port === session.port && thread.semiSync) this.master.onAck(thread.serverId, pos)
    }
  }

  // ---- crash recovery --------------------------------------------------------------------------------------

  private recover(mode: RecoveryMode): void {
    if (this.prepared.size === 0) return
    const found = [...this.prepared.values()].sort((a, b) => a.index - b.index)
    const indices = found.map((p) => p.index)
    const preparedEntries = indices.map((index) => this.binlog.at(index) as BinlogEntry)
    this.prepared.clear()
    if (mode === 'commit') {
      found.forEach((p, i) => {
        const entry = preparedEntries[i] as BinlogEntry
        this.engine.apply(entry.writes)
        // gtid_slave_pos is updated in the applied transaction itself, so recovery commits it too.
        if (p.replicated && entry.gtid.seq > this.slavePos.seq) this.slavePos = entry.gtid
      })
      this.logLine(`Found ${preparedEntries.length} prepared transaction(s) in InnoDB; committed by XA recovery`)
      return
    }
    const first = preparedEntries[0] as BinlogEntry
    const dropped = new Set(indices)
    const keep = this.binlog.all().filter((_, index) => !dropped.has(index))
    this.binlog.rewrite(keep)
    this.binlogIndex.clear()
    keep.forEach((entry, index) => this.binlogIndex.set(gtidKey(entry.gtid), index))
    this.seqMax = this.lastBinlogGtid().seq
    if (this.slavePos.seq > this.seqMax) this.slavePos = this.lastBinlogGtid()
    this.logLine(
      `Successfully truncated binlog file to remove transactions starting from GTID ${formatGtid(first.gtid)} ` +
        `(${preparedEntries.length} prepared transaction(s) rolled back)`,
    )
  }

  private newMaster(settings: SemiSyncMasterSettings): SemiSyncMaster {
    return new SemiSyncMaster(this.settings.flavor, settings, this, (message) => this.logLine(message))
  }
}

/**
 * A GTID as a map key: a number for the engine's one domain (no string built on every commit's path), the text form
 * otherwise. The two never collide: one is a number, the other a string.
 */
function gtidKey(gtid: Gtid): number | string {
  if (gtid.domain === 0 && gtid.serverId < 0x10000 && gtid.seq < 2 ** 36) return gtid.seq * 0x10000 + gtid.serverId
  return `${gtid.domain}-${gtid.serverId}-${gtid.seq}`
}
