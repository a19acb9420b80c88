/**
 * Runs async tasks one at a time, in arrival order. Toxiproxy holds locks across a whole API call (create = check the
 * name, then listen); Node interleaves at every await, so the API serializes its handlers through this instead.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(() => task())
    // The next task waits for this one to settle, whether it succeeded or not.
    this.tail = result.catch(() => undefined)
    return result
  }
}
