/**
 * Keeps the event loop polling the proxy's sockets for a short window after bytes move, instead of sleeping at once.
 *
 * Why: Go's scheduler keeps a thread looking for work (the network included) for a moment before it parks, so a reply
 * that comes straight back is read without a wake-up. A Node process that has nothing to do sleeps in `epoll_wait`, and
 * the kernel's wake-up is most of a round trip through it on a small virtual machine (bench/README.md). While an
 * immediate is pending, libuv polls with a zero timeout, so re-queuing one turn after turn reads a socket as soon as
 * data lands. The cost is CPU: at most `windowMs` of turning after the last chunk.
 *
 * Measured (bench/README.md): a 50 µs window halves the median round trip through a proxy in its own process, but on
 * two cores its 99th percentile is no better (the polling process holds a core the client and server then share), and
 * each round trip costs about 20 % more CPU. So it is off unless asked for (`semisync-chaos proxy --poll-window-us`).
 *
 * A chunk only sets a flag (no timestamp per chunk); the turn itself reads the clock. While the machine's CPUs are
 * oversubscribed (`contended`), the window does not open, and an open one closes: polling would only spend this
 * process's share of the CPU.
 */
export class PollWindow {
  private moved = false
  private turning = false
  private stopped = false
  private deadline = 0

  /** `windowMs` ≤ 0 turns the window off: the loop sleeps as soon as it is idle, as Node's always does. */
  constructor(
    private readonly windowMs: number,
    private readonly contended: () => boolean = () => false,
  ) {}

  /** Whether the loop is being kept turning now. */
  get polling(): boolean {
    return this.turning
  }

  /** Bytes moved: keep polling until a whole window passes with none. */
  touch(): void {
    if (this.turning) {
      this.moved = true
      return
    }
    if (this.windowMs <= 0 || this.stopped || this.contended()) return
    this.turning = true
    this.moved = false
    this.deadline = performance.now() + this.windowMs
    setImmediate(this.turn)
  }

  /** No more turns after this one: the server is closing. */
  stop(): void {
    this.stopped = true
  }

  private readonly turn = (): void => {
    const now = performance.now()
    if (this.moved) {
      this.moved = false
      this.deadline = now + this.windowMs
    }
    if (now < this.deadline && !this.stopped && !this.contended()) setImmediate(this.turn)
    else this.turning = false
  }
}
