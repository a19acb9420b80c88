import type { Anomaly, AnomalyKind } from '../checker.js'
import { ELLE_KINDS } from './isolation.js'

/** Evidence lists stop here (a broken run can break every transaction); the counts in stats stay exact. */
export const MAX_ANOMALIES_PER_KIND = 100

/**
 * Every anomaly found, counted exactly. The proscribed ones are kept (the first few of each kind, built lazily: an
 * explanation costs more than finding the anomaly); of the allowed ones, only the first message of each kind, for
 * stats.
 */
export class FoundAnomalies {
  private readonly kept = new Map<AnomalyKind, Anomaly[]>()
  private readonly counted = new Map<AnomalyKind, number>()
  private readonly allowedExample = new Map<AnomalyKind, string>()

  constructor(
    private readonly proscribed: ReadonlySet<AnomalyKind>,
    private readonly cap = MAX_ANOMALIES_PER_KIND,
  ) {}

  add(kind: AnomalyKind, build: () => Omit<Anomaly, 'kind'>): void {
    const count = (this.counted.get(kind) ?? 0) + 1
    this.counted.set(kind, count)
    if (!this.proscribed.has(kind)) {
      if (count === 1) this.allowedExample.set(kind, build().message)
      return
    }
    if (count > this.cap) return
    const list = this.kept.get(kind) ?? []
    list.push({ kind, ...build() })
    this.kept.set(kind, list)
  }

  /** How many proscribed anomalies were found. */
  proscribedTotal(): number {
    let sum = 0
    for (const [kind, n] of this.counted) if (this.proscribed.has(kind)) sum += n
    return sum
  }

  /** Counts by kind, of the proscribed (`true`) or the allowed kinds; kinds not found are left out. */
  counts(proscribed: boolean): Record<string, number> {
    const entries = ELLE_KINDS.filter((kind) => this.proscribed.has(kind) === proscribed).map(
      (kind) => [kind, this.counted.get(kind) ?? 0] as const,
    )
    return Object.fromEntries(entries.filter(([, n]) => n > 0))
  }

  allowedExamples(): Array<{ kind: AnomalyKind; message: string }> {
    return ELLE_KINDS.flatMap((kind) => {
      const message = this.allowedExample.get(kind)
      return message === undefined ? [] : [{ kind, message }]
    })
  }

  list(): Anomaly[] {
    return ELLE_KINDS.flatMap((kind) => this.kept.get(kind) ?? [])
  }
}
