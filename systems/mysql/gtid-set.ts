/**
 * A MySQL GTID set (`3e11fa47-…:1-5:11-18,8a1b…:1-3`, tagged GTIDs of 8.3+ as `uuid:tag:1-5`) as sorted, merged
 * intervals per source. MySQL positions are sets, not numbers: a replica's received set is compared with another's by
 * inclusion, and errant transactions are a difference of sets.
 */
export class GtidSet {
  private constructor(private readonly sources: ReadonlyMap<string, ReadonlyArray<readonly [number, number]>>) {}

  static readonly EMPTY = new GtidSet(new Map())

  /** Parses the server's text (whitespace and newlines between sources allowed); throws on anything else. */
  static parse(text: string | null | undefined): GtidSet {
    const sources = new Map<string, Array<[number, number]>>()
    for (const part of (text ?? '').split(',')) {
      const trimmed = part.replace(/\s+/g, '')
      if (trimmed === '') continue
      const [uuid, ...rest] = trimmed.split(':')
      if (!uuid || !/^[0-9a-fA-F-]{32,36}$/.test(uuid) || rest.length === 0) throw gtidError(text, trimmed)
      let tag = ''
      for (const piece of rest) {
        const range = /^(\d+)(?:-(\d+))?$/.exec(piece)
        if (!range) {
          if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,31}$/.test(piece)) throw gtidError(text, trimmed)
          tag = piece.toLowerCase()
          continue
        }
        const start = Number(range[1])
        const end = range[2] === undefined ? start : Number(range[2])
        if (start < 1 || end < start || !Number.isSafeInteger(end)) throw gtidError(text, trimmed)
        const key = tag === '' ? uuid.toLowerCase() : `${uuid.toLowerCase()}:${tag}`
        const list = sources.get(key) ?? []
        list.push([start, end])
        sources.set(key, list)
      }
    }
    return GtidSet.of(sources)
  }

  private static of(sources: Map<string, Array<[number, number]>>): GtidSet {
    const merged = new Map<string, Array<[number, number]>>()
    for (const key of [...sources.keys()].sort()) {
      const intervals = [...(sources.get(key) ?? [])].sort((a, b) => a[0] - b[0])
      const out: Array<[number, number]> = []
      for (const [start, end] of intervals) {
        const last = out[out.length - 1]
        if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end)
        else out.push([start, end])
      }
      if (out.length > 0) merged.set(key, out)
    }
    return new GtidSet(merged)
  }

  /** How many transactions the set holds. */
  get size(): number {
    let n = 0
    for (const intervals of this.sources.values()) for (const [start, end] of intervals) n += end - start + 1
    return n
  }

  get isEmpty(): boolean {
    return this.sources.size === 0
  }

  union(other: GtidSet): GtidSet {
    const all = new Map<string, Array<[number, number]>>()
    for (const set of [this, other]) {
      for (const [key, intervals] of set.sources) all.set(key, [...(all.get(key) ?? []), ...intervals.map(copy)])
    }
    return GtidSet.of(all)
  }

  /** The transactions of this set that `other` lacks (MySQL's `GTID_SUBTRACT`). */
  subtract(other: GtidSet): GtidSet {
    const out = new Map<string, Array<[number, number]>>()
    for (const [key, intervals] of this.sources) {
      let remaining = intervals.map(copy)
      for (const [cutStart, cutEnd] of other.sources.get(key) ?? []) {
        remaining = remaining.flatMap(([start, end]): Array<[number, number]> => {
          if (cutEnd < start || cutStart > end) return [[start, end]]
          const pieces: Array<[number, number]> = []
          if (start < cutStart) pieces.push([start, cutStart - 1])
          if (end > cutEnd) pieces.push([cutEnd + 1, end])
          return pieces
        })
      }
      if (remaining.length > 0) out.set(key, remaining)
    }
    return GtidSet.of(out)
  }

  /** Whether every transaction of `other` is in this set (MySQL's `GTID_SUBSET(other, this)`). */
  contains(other: GtidSet): boolean {
    return other.subtract(this).isEmpty
  }

  /** The canonical text: sources sorted, intervals merged, as MySQL prints it but on one line. */
  toString(): string {
    return [...this.sources]
      .map(([key, intervals]) => `${key}:${intervals.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(':')}`)
      .join(',')
  }
}

const copy = ([start, end]: readonly [number, number]): [number, number] => [start, end]

function gtidError(text: string | null | undefined, part: string): Error {
  return new Error(`not a MySQL GTID set: ${JSON.stringify(part)} in ${JSON.stringify(text)}`)
}
