import type { Op, OpType } from '../../../core/history/op.js'

/** A micro-op as the history holds it. */
export type Mop = ['r', string | number, number[] | null] | ['append', string | number, number]

export const r = (key: string | number, list: number[] | null = null): Mop => ['r', key, list]
export const append = (key: string | number, value: number): Mop => ['append', key, value]

type Extra = Partial<Pick<Op, 'node' | 'error' | 'final' | 'role'>>

/** The invocation's form of micro-ops: reads not yet filled in. */
function asInvoked(mops: readonly Mop[]): Mop[] {
  return mops.map((mop) => (mop[0] === 'r' ? ['r', mop[1], null] : mop))
}

/**
 * Builds list-append histories for the Elle checker's tests: indices dense from 0, time advancing 1 µs per op.
 * `txn` runs a transaction alone (invoke, then completion); `invoke` and `complete` interleave them.
 */
export class TxnHistory {
  private readonly list: Op[] = []
  private readonly open = new Map<number, Mop[]>()

  invoke(process: number, mops: readonly Mop[], extra: Extra = {}): Op {
    this.open.set(process, [...mops])
    return this.push({ process, type: 'invoke', f: 'txn', value: asInvoked(mops), ...extra })
  }

  /** Completes the process's open transaction; an `ok` carries its reads as given at invoke, or as `done` says. */
  complete(process: number, type: Exclude<OpType, 'invoke'> = 'ok', extra: Extra = {}, done?: readonly Mop[]): Op {
    const mops = done ?? this.open.get(process)
    if (!this.open.has(process) || mops === undefined) throw new Error(`process ${process} has no open txn`)
    this.open.delete(process)
    return this.push({ process, type, f: 'txn', value: type === 'ok' ? [...mops] : asInvoked(mops), ...extra })
  }

  txn(
    process: number,
    mops: readonly Mop[],
    type: Exclude<OpType, 'invoke'> | 'pending' = 'ok',
    extra: Extra = {},
  ): Op {
    const invoke = this.invoke(process, mops, extra)
    return type === 'pending' ? invoke : this.complete(process, type, extra)
  }

  /** Transactions that overlap: every one is invoked before any completes, so real time orders none of them. */
  concurrent(txns: ReadonlyArray<[process: number, mops: readonly Mop[], type?: Exclude<OpType, 'invoke'>]>): void {
    for (const [process, mops] of txns) this.invoke(process, mops)
    for (const [process, , type] of txns) this.complete(process, type ?? 'ok')
  }

  finalRead(process: number, node: string, role: 'primary' | 'replica', mops: readonly Mop[]): Op {
    return this.txn(process, mops, 'ok', { final: true, node, role })
  }

  nemesis(f: string, value: unknown): Op {
    return this.push({ process: 'nemesis', type: 'info', f, value })
  }

  /** A raw event, for malformed histories. */
  raw(process: number, type: OpType, value: unknown, extra: Extra = {}): Op {
    return this.push({ process, type, f: 'txn', value, ...extra })
  }

  ops(): Op[] {
    return this.list
  }

  private push(draft: Omit<Op, 'index' | 'time'>): Op {
    const op = { ...draft, index: this.list.length, time: (this.list.length + 1) * 1000 } as Op
    this.list.push(op)
    return op
  }
}
