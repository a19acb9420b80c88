import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'

type Generator = ReturnType<typeof xoroshiro128plus>

/**
 * A seeded random stream. Each concern (network jitter, disk, workload, nemesis, …) draws from its own stream, derived
 * from the root seed and the stream's name, so adding draws to one concern never reshuffles another.
 */
export class SeededRandom {
  private readonly generator: Generator

  constructor(
    readonly seed: number,
    readonly stream: string,
  ) {
    this.generator = xoroshiro128plus(mixSeed(seed, stream))
  }

  /**
   * An integer in [min, max], both included. The range must be exact in a double (the draw would never end on a wider
   * one), so anything else is refused at once.
   */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max || max - min > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`SeededRandom(${this.stream}).int: [${min}, ${max}] is not a range of safe integers`)
    }
    return uniformInt(this.generator, min, max)
  }

  /** A float in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator)
  }

  chance(probability: number): boolean {
    return this.float() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error(`SeededRandom(${this.stream}).pick: no items to pick from`)
    return items[this.int(0, items.length - 1)] as T
  }

  /** An exponentially distributed value with the given mean (for arrival processes). */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean
  }
}

/** FNV-1a over the stream name, folded with the seed: a stable 32-bit seed per (root seed, stream). */
function mixSeed(seed: number, stream: string): number {
  let hash = 0x811c9dc5 ^ (seed | 0) ^ Math.floor(seed / 0x100000000)
  for (let i = 0; i < stream.length; i++) {
    hash ^= stream.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash | 0
}

/** Creates streams on demand and hands back the same stream for the same name. */
export class RandomStreams {
  private readonly streams = new Map<string, SeededRandom>()

  constructor(readonly seed: number) {}

  stream(name: string): SeededRandom {
    let s = this.streams.get(name)
    if (!s) {
      s = new SeededRandom(this.seed, name)
      this.streams.set(name, s)
    }
    return s
  }
}
