/** A piece of data read from a socket, stamped with the time it arrived (performance.now(), ms), as in Toxiproxy. */
export interface StreamChunk {
  data: Buffer
  timestamp: number
}

/** The source reached EOF (or failed): when it reaches the end of a link, the destination socket is closed. */
export const END_OF_STREAM: unique symbol = Symbol('end of stream')
export type StreamItem = StreamChunk | typeof END_OF_STREAM

/** Anything a link can hand items to: a toxic stub, or the link's writer to the destination socket. */
export interface Stage {
  push(item: StreamItem): void
}

export function itemBytes(item: StreamItem): number {
  return item === END_OF_STREAM ? 0 : item.data.length
}

/** FIFO of stream items with O(1) shift (a plain array's shift is O(n) once it grows). */
export class StreamItemQueue {
  private items: StreamItem[] = []
  private head = 0

  get length(): number {
    return this.items.length - this.head
  }

  push(item: StreamItem): void {
    this.items.push(item)
  }

  /** Puts an item back at the front, so it is the next one shifted. */
  unshift(item: StreamItem): void {
    if (this.head > 0) this.items[--this.head] = item
    else this.items.unshift(item)
  }

  shift(): StreamItem | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head] as StreamItem
    this.items[this.head++] = END_OF_STREAM // drop the reference for the GC
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }

  clear(): void {
    this.items = []
    this.head = 0
  }
}
