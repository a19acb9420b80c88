import { CappedAnomalies } from '../capped-anomalies.js'
import type { Anomaly, AnomalyKind } from '../checker.js'
import { ELLE_KINDS } from './isolation.js'

/**
 * Every anomaly found, counted exactly. The proscribed ones are kept as any checker keeps them (the first few of each
 * kind); of the allowed ones, only the count and the first message of each kind, for stats.
 */
export class FoundAnomalies {
  private readonly proscribedFound = new CappedAnomalies(ELLE_KINDS)
  private readonly allowedCounted = new Map<AnomalyKind, number>()
  private readonly allowedExample = new Map<AnomalyKind, string>()

  constructor(private readonly proscribed: ReadonlySet<AnomalyKind>) {}

  add(kind: AnomalyKind, build: () => Omit<Anomaly, 'kind'>): void {
    if (this.proscribed.has(kind)) return this.proscribedFound.add(kind, build)
    const count = (this.allowedCounted.get(kind) ?? 0) + 1
    this.allowedCounted.set(kind, count)
    if (count === 1) this.allowedExample.set(kind, build().message)
  }

  /** How many proscribed anomalies were found. */
  proscribedTotal(): number {
    return this.proscribedFound.total()
  }

  /** Counts by kind, of the proscribed (`true`) or the allowed kinds; kinds not found are left out. */
  counts(proscribed: boolean): Record<string, number> {
    const count = (kind: AnomalyKind): number =>
      proscribed ? this.proscribedFound.count(kind) : (this.allowedCounted.get(kind) ?? 0)
    return Object.fromEntries(ELLE_KINDS.map((kind) => [kind, count(kind)] as const).filter(([, n]) => n > 0))
  }

  allowedExamples(): Array<{ kind: AnomalyKind; message: string }> {
    return ELLE_KINDS.flatMap((kind) => {
      const message = this.allowedExample.get(kind)
      return message === undefined ? [] : [{ kind, message }]
    })
  }

  list(): Anomaly[] {
    return this.proscribedFound.list()
  }
}
