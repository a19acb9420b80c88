import type { Config } from './config.js'

/**
 * The search's memo: configurations by 32-bit key, each slot holding the newest configuration with that key (older
 * ones hang off `nextWithKey`). Open addressing over an Int32Array keeps the keys together in memory, which matters
 * once millions of configurations are held: a JS Map spends more per entry and more time per lookup.
 */
export class MemoTable<S> {
  private keys: Int32Array
  private slots: (Config<S> | undefined)[]
  private mask: number
  private used = 0

  constructor(capacity = 1024) {
    let size = 16
    while (size < capacity * 2) size *= 2
    this.keys = new Int32Array(size)
    this.slots = new Array<Config<S> | undefined>(size).fill(undefined)
    this.mask = size - 1
  }

  /** The newest configuration with this key, if any. */
  get(key: number): Config<S> | undefined {
    const { keys, slots, mask } = this
    for (let i = mix(key) & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]
      if (slot === undefined) return undefined
      if (keys[i] === key) return slot
    }
  }

  /** Makes `config` the newest with its key (the caller has linked the previous newest as its `nextWithKey`). */
  set(key: number, config: Config<S>): void {
    const { keys, slots, mask } = this
    for (let i = mix(key) & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]
      if (slot === undefined) {
        keys[i] = key
        slots[i] = config
        if (++this.used * 2 > slots.length) this.grow()
        return
      }
      if (keys[i] === key) {
        slots[i] = config
        return
      }
    }
  }

  private grow(): void {
    const oldKeys = this.keys
    const oldSlots = this.slots
    const size = oldSlots.length * 2
    this.keys = new Int32Array(size)
    this.slots = new Array<Config<S> | undefined>(size).fill(undefined)
    this.mask = size - 1
    this.used = 0
    for (let i = 0; i < oldSlots.length; i++) {
      const slot = oldSlots[i]
      if (slot !== undefined) this.set(oldKeys[i] as number, slot)
    }
  }
}

/** Memo keys are already hashes, but their low bits need spreading before masking. */
function mix(key: number): number {
  const h = Math.imul(key ^ (key >>> 16), 0x7feb352d)
  return h ^ (h >>> 15)
}
