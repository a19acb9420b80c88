/**
 * Deterministic 32-bit words for Zobrist hashing (a set's hash is the XOR of its members' words). A fixed seed keeps
 * the checker's work, and so its timing, the same from run to run.
 */
export function randomWords(count: number, seed = 0x9e3779b9): Int32Array {
  const words = new Int32Array(count)
  let x = seed | 0 || 1
  for (let i = 0; i < count; i++) {
    // xorshift32, then a multiply so neighbouring words share no low bits.
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    words[i] = Math.imul(x, 0x2545f491) ^ (x >>> 15)
  }
  return words
}
