import type { Anomaly, AnomalyKind } from './checker.js'

/** Evidence lists stop here (a broken run can lose every write); the counts stay exact. */
export const MAX_ANOMALIES_PER_KIND = 100

/**
 * Every anomaly a checker finds, counted exactly, and the first few of each kind kept: built lazily, since an
 * explanation can cost more than finding the anomaly. Listed and counted in the checker's order of kinds.
 */
export class CappedAnomalies {
  private readonly kept = new Map<AnomalyKind, Anomaly[]>()
  private readonly counted = new Map<AnomalyKind, number>()

  constructor(
    private readonly order: readonly AnomalyKind[],
    private readonly cap = MAX_ANOMALIES_PER_KIND,
  ) {}

  add(kind: AnomalyKind, build: () => Omit<Anomaly, 'kind'>): void {
    const count = this.count(kind) + 1
    this.counted.set(kind, count)
    if (count > this.cap) return
    const list = this.kept.get(kind)
    if (list) list.push({ kind, ...build() })
    else this.kept.set(kind, [{ kind, ...build() }])
  }

  count(kind: AnomalyKind): number {
    return this.counted.get(kind) ?? 0
  }

  total(): number {
    let sum = 0
    for (const n of this.counted.values()) sum += n
    return sum
  }

  /** Each kind of the order with its count, zero included. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.order.map((kind) => [kind, this.count(kind)]))
  }

  list(): Anomaly[] {
    return this.order.flatMap((kind) => this.kept.get(kind) ?? [])
  }
}
