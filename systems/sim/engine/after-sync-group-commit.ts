import type { WaitOutcome } from './semi-sync-master.js'
import type { RowWrite } from './row-write.js'
import type { BinlogEntry } from './wire.js'

/** A transaction on its way through the group commit. */
interface Member {
  writes: RowWrite[]
  trxId: number
  sessionId: number
  done: (outcome: WaitOutcome) => void
  entry?: BinlogEntry
  pos?: number
}

interface Group {
  members: Member[]
  synced: boolean
}

/** What the pipeline needs from its server. */
export interface GroupCommitHost {
  /** Writes the transaction to the binlog with a fresh GTID and registers it with semi-sync; returns its end position. */
  writeBinlog(writes: RowWrite[]): { entry: BinlogEntry; pos: number }
  syncBinlog(then: () => void): void
  /** The semi-sync wait, done once by the group's leader for the group's last position. */
  waitForAck(pos: number, leaderSessionId: number, transactions: number, done: (outcome: WaitOutcome) => void): void
  commitInEngine(entry: BinlogEntry, trxId: number): void
}

/**
 * MariaDB's binlog group commit under AFTER_SYNC, as observed on 10.11: one group at a time sits in the semi-sync wait
 * (its leader is the one session shown "Waiting for semi-sync ACK"); one more group has written and synced its binlog
 * and waits for that stage; every transaction arriving meanwhile queues and becomes the next group. The waiting group
 * commits together when its last position is acked, times out, or its leader is KILLed. In that last case the leader
 * gets an error while the other members return OK without any ack.
 */
export class AfterSyncGroupCommit {
  private waiting: Group | null = null
  private written: Group | null = null
  private queued: Member[] = []

  constructor(private readonly host: GroupCommitHost) {}

  commit(writes: RowWrite[], trxId: number, sessionId: number, done: (outcome: WaitOutcome) => void): void {
    this.queued.push({ writes, trxId, sessionId, done })
    this.writeNextGroup()
  }

  /** The process died: every group in flight is gone with it. */
  crash(): void {
    this.waiting = null
    this.written = null
    this.queued = []
  }

  private writeNextGroup(): void {
    if (this.written || this.queued.length === 0) return
    const group: Group = { members: this.queued.splice(0), synced: false }
    this.written = group
    for (const member of group.members) {
      const { entry, pos } = this.host.writeBinlog(member.writes)
      member.entry = entry
      member.pos = pos
    }
    this.host.syncBinlog(() => {
      group.synced = true
      this.enterWait()
    })
  }

  private enterWait(): void {
    const group = this.written
    if (this.waiting || !group?.synced) return
    this.waiting = group
    this.written = null
    this.writeNextGroup()
    const leader = group.members[0] as Member
    const last = group.members[group.members.length - 1] as Member
    this.host.waitForAck(last.pos as number, leader.sessionId, group.members.length, (outcome) => {
      if (this.waiting !== group) return
      for (const member of group.members) this.host.commitInEngine(member.entry as BinlogEntry, member.trxId)
      this.waiting = null
      for (const member of group.members)
        member.done(member === leader ? outcome : outcome === 'killed' ? 'not-acked' : outcome)
      this.enterWait()
    })
  }
}
