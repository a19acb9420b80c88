import { Toxiproxy, type Proxy } from 'toxiproxy-node-client'
import { BIND_ATTEMPTS, isPortTaken } from './free-port.js'
import { CLIENTS, type LinkLatency } from '../../core/cluster/cluster.js'

/** A node the proxies front: its name and the port it really listens on. */
export interface ProxiedNode {
  name: string
  port: number
}

/** One proxy and which way its streams run: the connecting side is `from`, the listening side `to`. */
interface Link {
  proxy: Proxy
  /** The side that connects (a replica, or the clients). */
  from: string
  /** The side that listens (the replica's source, or the node clients talk to). */
  to: string
  port: number
}

type Stream = 'upstream' | 'downstream'

/**
 * Every network link of a real cluster as a Toxiproxy proxy, driven only through toxiproxy-node-client so a real
 * Toxiproxy can replace the embedded one: one proxy per (replica, possible source) replication link and one per node
 * for clients. A cut is a `timeout` toxic with timeout 0 on the stream that carries the direction cut (data is dropped
 * until healed; healing removes the toxics, which closes those connections, and MariaDB reconnects by GTID).
 */
export class ProxiedLinks {
  private readonly links: Link[] = []

  private constructor(private readonly toxiproxy: Toxiproxy) {}

  /** Creates the proxies (names prefixed so several runs can share one Toxiproxy) on free local ports. */
  static async create(
    url: string,
    prefix: string,
    nodes: readonly ProxiedNode[],
    freePort: () => Promise<number>,
  ): Promise<ProxiedLinks> {
    const links = new ProxiedLinks(new Toxiproxy(url))
    for (const to of nodes) {
      await links.add(`${prefix}-clients-to-${to.name}`, CLIENTS, to, await freePort(), freePort)
      for (const from of nodes) {
        if (from !== to) {
          await links.add(`${prefix}-${from.name}-from-${to.name}`, from.name, to, await freePort(), freePort)
        }
      }
    }
    return links
  }

  /** Creates one proxy; a port someone took since it was drawn is drawn again (a few times). */
  private async add(
    name: string,
    from: string,
    to: ProxiedNode,
    firstPort: number,
    freePort: () => Promise<number>,
  ): Promise<void> {
    let port = firstPort
    for (let attempt = 1; ; attempt++) {
      try {
        const proxy = await this.toxiproxy.createProxy({
          name,
          listen: `127.0.0.1:${port}`,
          upstream: `127.0.0.1:${to.port}`,
        })
        this.links.push({ proxy, from, to: to.name, port })
        return
      } catch (error) {
        if (attempt >= BIND_ATTEMPTS || !isPortTaken(String((error as Error).message))) throw error
        port = await freePort()
      }
    }
  }

  /** Points every proxy in front of `node` at its new port (the node had to move: its old port was taken). */
  async repointUpstream(node: string, port: number): Promise<void> {
    for (const link of this.links) {
      if (link.to !== node) continue
      link.proxy = await link.proxy.update({ enabled: true, listen: link.proxy.listen, upstream: `127.0.0.1:${port}` })
    }
  }

  /** The port a replica connects to for replicating from `source`. */
  replicationPort(replica: string, source: string): number {
    return this.link(replica, source).port
  }

  /** The port clients connect to for `node`. */
  clientPort(node: string): number {
    return this.link(CLIENTS, node).port
  }

  /** Cuts traffic from `a` to `b` (one way) on every proxy between them. */
  async cut(a: string, b: string): Promise<void> {
    for (const { link, stream } of this.streams(a, b)) {
      await this.addToxic(link, {
        name: `cut_${stream}`,
        type: 'timeout',
        stream,
        toxicity: 1,
        attributes: { timeout: 0 },
      })
    }
  }

  /** Adds latency to traffic from `a` to `b`. */
  async setLatency(a: string, b: string, latency: LinkLatency): Promise<void> {
    const attributes = { latency: Math.round(latency.meanNs / 1e6), jitter: Math.round(latency.jitterNs / 1e6) }
    for (const { link, stream } of this.streams(a, b)) {
      await this.addToxic(link, { name: `latency_${stream}`, type: 'latency', stream, toxicity: 1, attributes })
    }
  }

  /** Removes every toxic and re-enables every proxy (Toxiproxy's /reset: cut connections close and reconnect). */
  async heal(): Promise<void> {
    await this.toxiproxy.reset()
  }

  /** Resets the connections between two endpoints: disabling a proxy closes its connections; it is then re-enabled. */
  async resetConnections(a: string, b: string): Promise<void> {
    for (const link of this.links) {
      if (!((link.from === a && link.to === b) || (link.from === b && link.to === a))) continue
      await link.proxy.update({ enabled: false, listen: link.proxy.listen, upstream: link.proxy.upstream })
      await link.proxy.update({ enabled: true, listen: link.proxy.listen, upstream: link.proxy.upstream })
    }
  }

  /** Deletes this cluster's proxies. */
  /**
   * Removes every proxy. The table stays: a client that connects afterwards is refused like any client of a dead
   * link (a definite failure), instead of meeting an error of the harness's own.
   */
  async close(): Promise<void> {
    for (const link of this.links) {
      try {
        await link.proxy.remove()
      } catch {
        // the server may be gone already (embedded server stopped first)
      }
    }
  }

  private link(from: string, to: string): Link {
    const link = this.links.find((l) => l.from === from && l.to === to)
    if (!link) throw new Error(`no proxy from ${from} to ${to}`)
    return link
  }

  /** The proxy streams that carry bytes from `a` to `b`: upstream where `a` connects, downstream where `b` does. */
  private streams(a: string, b: string): Array<{ link: Link; stream: Stream }> {
    const out: Array<{ link: Link; stream: Stream }> = []
    for (const link of this.links) {
      if (link.from === a && link.to === b) out.push({ link, stream: 'upstream' })
      if (link.from === b && link.to === a) out.push({ link, stream: 'downstream' })
    }
    return out
  }

  private async addToxic(link: Link, body: Parameters<Proxy['addToxic']>[0]): Promise<void> {
    try {
      await link.proxy.addToxic(body)
    } catch (error) {
      // 409: that cut or latency is already in place, which is what was asked for.
      if (!String((error as Error).message).includes('409')) throw error
    }
  }
}
