import type { Op, OpDraft, OpType } from '../../core/history/op.js'

type Extra = Partial<Pick<Op, 'key' | 'node' | 'error' | 'final' | 'role'>>

/** Builds histories for checker tests: indices dense from 0, time advancing 1 µs per op. */
export class HistoryBuilder {
  private readonly list: Op[] = []

  op(draft: OpDraft): Op {
    const op = { ...draft, index: this.list.length, time: (this.list.length + 1) * 1000 } as Op
    this.list.push(op)
    return op
  }

  invoke(process: number, f: string, value: unknown, extra: Extra = {}): Op {
    return this.op({ process, type: 'invoke', f, value, ...extra })
  }

  complete(process: number, type: Exclude<OpType, 'invoke'>, f: string, value: unknown, extra: Extra = {}): Op {
    return this.op({ process, type, f, value, ...extra })
  }

  /** An add of `element` ending as `outcome` ('pending': no completion). Returns [invoke, completion]. */
  add(process: number, element: number, outcome: 'ok' | 'info' | 'fail' | 'pending' = 'ok', extra: Extra = {}): Op[] {
    const invoke = this.invoke(process, 'add', element, extra)
    if (outcome === 'pending') return [invoke]
    return [invoke, this.complete(process, outcome, 'add', element, extra)]
  }

  /** A read that returns `values`; returns the ok op (the one checkers cite). */
  read(process: number, values: unknown[], extra: Extra = {}): Op {
    this.invoke(process, 'read', null, extra)
    return this.complete(process, 'ok', 'read', values, extra)
  }

  finalRead(process: number, node: string, role: 'primary' | 'replica', values: unknown[]): Op {
    return this.read(process, values, { final: true, node, role })
  }

  nemesis(f: string, value: unknown, type: OpType = 'info'): Op {
    return this.op({ process: 'nemesis', type, f, value })
  }

  ops(): Op[] {
    return this.list
  }
}
