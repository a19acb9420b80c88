import { randomWords } from './random-words.js'

/** Bits per word: 30 keeps words small integers, which V8 stores unboxed in plain arrays. */
const BITS = 30
/** Words per chunk; a memo entry shares every chunk it did not change with its parent. */
const CHUNK_WORDS = 32
const CHUNK_BITS = BITS * CHUNK_WORDS

/** An immutable copy of the set, as a memo entry keeps it: chunks shared with other snapshots where unchanged. */
export type SetSnapshot = readonly (readonly number[])[]

/**
 * The set of linearized ops: a bitset in copy-on-write chunks, plus an incrementally kept Zobrist hash. Snapshots cost
 * one pointer per chunk, and toggling a bit copies at most one chunk, so a search over 100k ops does not copy 100k bits
 * per step as a flat bitset would.
 */
export class LinearizedSet {
  hash = 0
  private readonly chunks: number[][]
  /** Whether `chunks[c]` belongs to this working copy alone (else a snapshot shares it and it must be copied first). */
  private readonly owned: Uint8Array
  private readonly zobrist: Int32Array

  constructor(size: number) {
    const chunkCount = Math.max(1, Math.ceil(size / CHUNK_BITS))
    const lastWords = Math.ceil((size - (chunkCount - 1) * CHUNK_BITS) / BITS) || 1
    // Array.from makes packed arrays of small integers (new Array(n).fill(0) stays "holey", which V8 reads slower).
    this.chunks = Array.from({ length: chunkCount }, (_, c) =>
      Array.from({ length: c === chunkCount - 1 ? lastWords : CHUNK_WORDS }, () => 0),
    )
    this.owned = new Uint8Array(chunkCount).fill(1)
    this.zobrist = randomWords(size)
  }

  /** The hash the set would have with op `k` toggled. */
  hashWith(k: number): number {
    return this.hash ^ (this.zobrist[k] as number)
  }

  zobristOf(k: number): number {
    return this.zobrist[k] as number
  }

  toggle(k: number): void {
    const c = (k / CHUNK_BITS) | 0
    let chunk = this.chunks[c] as number[]
    if (this.owned[c] === 0) {
      chunk = chunk.slice()
      this.chunks[c] = chunk
      this.owned[c] = 1
    }
    const offset = k - c * CHUNK_BITS
    const w = (offset / BITS) | 0
    chunk[w] = (chunk[w] as number) ^ (1 << (offset % BITS))
    this.hash ^= this.zobrist[k] as number
  }

  /** Freezes the current contents: later toggles copy the chunks they touch. */
  snapshot(): SetSnapshot {
    this.owned.fill(0)
    return this.chunks.slice()
  }

  /** Whether `snapshot` equals this set with op `k` toggled. Shared chunks compare by identity. */
  equalsWith(snapshot: SetSnapshot, k: number): boolean {
    const kChunk = (k / CHUNK_BITS) | 0
    const offset = k - kChunk * CHUNK_BITS
    const kWord = (offset / BITS) | 0
    const kBit = 1 << (offset % BITS)
    for (let c = 0; c < this.chunks.length; c++) {
      const mine = this.chunks[c] as number[]
      const theirs = snapshot[c] as readonly number[]
      if (c !== kChunk) {
        if (mine !== theirs && !sameWords(mine, theirs)) return false
        continue
      }
      for (let w = 0; w < mine.length; w++) {
        if (((mine[w] as number) ^ (w === kWord ? kBit : 0)) !== theirs[w]) return false
      }
    }
    return true
  }
}

function sameWords(a: readonly number[], b: readonly number[]): boolean {
  for (let w = 0; w < a.length; w++) if (a[w] !== b[w]) return false
  return true
}
