import { ERR_PROXY_ALREADY_EXISTS, ERR_PROXY_NOT_FOUND, asApiError, type ApiError } from './api-errors.js'
import { resolveListenAddress } from './listen-address.js'
import type { ProxyFields } from './proxy-bodies.js'
import { Proxy, type ProxyEnvironment } from './proxy.js'

/** The server's proxies by name (Go's ProxyCollection). */
export class ProxyCollection {
  private readonly proxies = new Map<string, Proxy>()

  constructor(private readonly environment: ProxyEnvironment) {}

  get(name: string): Proxy {
    const proxy = this.proxies.get(name)
    if (proxy === undefined) throw ERR_PROXY_NOT_FOUND
    return proxy
  }

  /** Sorted by name, as Go's JSON encoding of a map is. */
  sorted(): Proxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** POST /proxies: a duplicate name is 409; a proxy that fails to listen is not added. */
  async create(fields: ProxyFields): Promise<Proxy> {
    if (this.proxies.has(fields.name)) throw ERR_PROXY_ALREADY_EXISTS
    const proxy = new Proxy(fields.name, fields.listen, fields.upstream, this.environment)
    if (fields.enabled) await proxy.start()
    this.proxies.set(proxy.name, proxy)
    return proxy
  }

  /**
   * POST /populate, entry by entry (Go's AddOrReplace): an existing proxy whose resolved listen and upstream are
   * unchanged is kept as it is (toxics, connections and `enabled` untouched); otherwise it is stopped and replaced. The
   * first failure stops the run and is returned with the proxies handled so far.
   */
  async populate(entries: readonly ProxyFields[]): Promise<{ proxies: Proxy[]; error: ApiError | null }> {
    const proxies: Proxy[] = []
    for (const entry of entries) {
      try {
        proxies.push(await this.addOrReplace(entry))
      } catch (error) {
        return { proxies, error: asApiError(error) }
      }
    }
    return { proxies, error: null }
  }

  remove(name: string): void {
    this.get(name).stop()
    this.proxies.delete(name)
  }

  stopAll(): void {
    for (const proxy of this.proxies.values()) proxy.stop()
  }

  private async addOrReplace(fields: ProxyFields): Promise<Proxy> {
    const existing = this.proxies.get(fields.name)
    if (existing !== undefined) {
      const listen = await resolveListenAddress(fields.listen).then(
        (address) => address.text,
        () => fields.listen,
      )
      if (existing.listen === listen && existing.upstream === fields.upstream) return existing
      existing.stop()
    }
    const proxy = new Proxy(fields.name, fields.listen, fields.upstream, this.environment)
    if (fields.enabled) await proxy.start()
    this.proxies.set(proxy.name, proxy)
    return proxy
  }
}
