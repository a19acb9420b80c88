import { ConfigError } from '../../core/errors/config-error.js'

/** One of `count` parts of some work (`--shard index/count`, index from 1), as CI job matrices split it. */
export interface Shard {
  index: number
  count: number
}

/** Parses `i/n` (1 ≤ i ≤ n ≤ 1000). */
export function parseShard(flag: string, raw: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || count > 1000 || index < 1 || index > count) {
    throw new ConfigError(flag, `expected i/n with 1 ≤ i ≤ n ≤ 1000 (e.g. 2/4), got "${raw}"`)
  }
  return { index, count }
}

/** Whether item `position` (from 0, in the work's fixed order) is this shard's: every n-th, so shards stay even. */
export function inShard(position: number, shard: Shard | null): boolean {
  return shard === null || position % shard.count === shard.index - 1
}

export function shardText(shard: Shard | null): string | null {
  return shard === null ? null : `${shard.index}/${shard.count}`
}
