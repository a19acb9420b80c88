import { Toxiproxy } from 'toxiproxy-node-client'
import { startToxiproxyServer, type ToxiproxyServerOptions } from '../../../toxiproxy/toxiproxy-server.js'

/**
 * The server the conformance tests drive. By default the embedded one, on a free port; with SEMISYNC_TOXIPROXY_URL set
 * (e.g. `http://127.0.0.1:8474` for a local `toxiproxy-server` binary) the same tests run against that server instead,
 * for a differential run. Tests that look inside the embedded server skip themselves when `embedded` is false.
 */
export interface ServerUnderTest {
  readonly url: string
  readonly client: Toxiproxy
  readonly embedded: boolean
  /** Deletes every proxy, so the next test starts from an empty server. */
  wipe(): Promise<void>
  close(): Promise<void>
}

export const EXTERNAL_URL = process.env.SEMISYNC_TOXIPROXY_URL

export async function startServerUnderTest(options: ToxiproxyServerOptions = {}): Promise<ServerUnderTest> {
  const embedded = EXTERNAL_URL === undefined ? await startToxiproxyServer({ port: 0, seed: 1, ...options }) : null
  const url = embedded?.url ?? (EXTERNAL_URL as string)
  const wipe = async (): Promise<void> => {
    const proxies = (await (await fetch(`${url}/proxies`)).json()) as Record<string, unknown>
    for (const name of Object.keys(proxies))
      await fetch(`${url}/proxies/${encodeURIComponent(name)}`, { method: 'DELETE' })
  }
  await wipe()
  return {
    url,
    client: new Toxiproxy(url),
    embedded: embedded !== null,
    wipe,
    close: async () => {
      await wipe()
      await embedded?.close()
    },
  }
}
