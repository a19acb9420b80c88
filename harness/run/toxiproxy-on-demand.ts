import type { ToxiproxyEndpoint } from '../../core/cluster/system-under-test.js'
import { startToxiproxyServer, type ToxiproxyServer } from '../../toxiproxy/index.js'

/**
 * The Toxiproxy a run's links go behind: the user's (`--toxiproxy-url`), or an embedded server started the first time
 * a system asks for one and stopped with the run.
 */
export class ToxiproxyOnDemand {
  private embedded: Promise<ToxiproxyServer> | null = null

  constructor(
    private readonly externalUrl: string | undefined,
    private readonly seed: number,
  ) {}

  endpoint(): Promise<ToxiproxyEndpoint> {
    if (this.externalUrl !== undefined) return Promise.resolve({ url: this.externalUrl })
    this.embedded ??= startToxiproxyServer({ port: 0, seed: this.seed })
    return this.embedded.then((server) => ({ url: server.url }))
  }

  /** Stops the embedded server, if one was started. */
  async close(): Promise<void> {
    const embedded = this.embedded
    this.embedded = null
    if (embedded) await (await embedded).close()
  }
}
