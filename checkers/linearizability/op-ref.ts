import type { Model } from './model.js'
import type { PairedOp } from './pair-ops.js'
import { modelOpOf } from './select-ops.js'
import { shortenValue, valueText } from './shorten-value.js'
import type { OpRef } from './types.js'

/** How explanations cite an op. */
export function opRef(op: PairedOp, model: Pick<Model, 'isRead'>): OpRef {
  const { value } = modelOpOf(op, model)
  return {
    invokeIndex: op.invoke.index,
    completeIndex: op.completion?.index ?? null,
    invokeTime: op.invoke.time,
    completeTime: op.completion?.time ?? null,
    process: op.process,
    f: op.f,
    value: shortenValue(value),
    outcome: op.completion === null ? 'pending' : op.outcome === 'ok' ? 'ok' : 'info',
    label: opLabel(op.f, value, model.isRead(op.f), op.outcome === 'ok'),
  }
}

export function opLabel(f: string, value: unknown, isRead: boolean, ok: boolean): string {
  if (isRead) return ok ? `${f} → ${valueText(value)}` : `${f} → ?`
  if (f === 'cas' && Array.isArray(value) && value.length === 2) {
    return `cas ${valueText(value[0])} → ${valueText(value[1])}`
  }
  return `${f} ${valueText(value)}`
}
