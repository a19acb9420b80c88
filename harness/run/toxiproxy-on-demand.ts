import type { ToxiproxyEndpoint } from '../../core/cluster/system-under-test.js'
import { EnvironmentError } from '../../core/errors/environment-error.js'
import type { ToxiproxyServer } from '../../toxiproxy/index.js'

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
    if (this.externalUrl !== undefined) return reachable(this.externalUrl)
    // Loaded on first use: its 40 modules are no cost to an engine run, which never asks for one.
    this.embedded ??= import('../../toxiproxy/index.js').then(({ startToxiproxyServer }) =>
      startToxiproxyServer({ port: 0, seed: this.seed }),
    )
    return this.embedded.then((server) => ({ url: server.url }))
  }

  /** Stops the embedded server, if one was started. */
  async close(): Promise<void> {
    const embedded = this.embedded
    this.embedded = null
    if (embedded) await (await embedded).close()
  }
}

/** How long a Toxiproxy gets to answer `GET /version` before the run gives up on it. */
const PROBE_TIMEOUT_MS = 5000

/** The user's Toxiproxy, once it has answered; a URL where nothing answers is an environment problem, said plainly. */
async function reachable(url: string): Promise<ToxiproxyEndpoint> {
  let status: number
  try {
    status = (await fetch(new URL('/version', url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })).status
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
    throw new EnvironmentError(`--toxiproxy-url ${url}: no Toxiproxy answers there (${cause})`)
  }
  if (status !== 200) throw new EnvironmentError(`--toxiproxy-url ${url}: GET /version answered ${status}, not 200`)
  return { url }
}
