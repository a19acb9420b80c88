import type { Direction } from './direction.js'

/** Bytes a link has read from its source and written to its destination. */
export interface ByteCounter {
  received: number
  sent: number
}

interface Labels {
  direction: Direction
  proxy: string
  listener: string
  upstream: string
}

/**
 * Toxiproxy's proxy metrics (`toxiproxy_proxy_received_bytes_total` / `_sent_bytes_total`, labelled direction, proxy,
 * listener, upstream). Links add to their counter per chunk, so the figures are live; Toxiproxy adds a link's bytes
 * only when the link ends.
 */
export class ByteCounters {
  private readonly counters = new Map<string, { labels: Labels; counter: ByteCounter }>()

  counterFor(labels: Labels): ByteCounter {
    const key = JSON.stringify([labels.direction, labels.proxy, labels.listener, labels.upstream])
    let entry = this.counters.get(key)
    if (entry === undefined) {
      entry = { labels, counter: { received: 0, sent: 0 } }
      this.counters.set(key, entry)
    }
    return entry.counter
  }

  /** The Prometheus text exposition of both counters, series sorted by label values. */
  prometheusText(): string {
    const entries = [...this.counters.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e)
    const lines: string[] = []
    for (const [name, field] of [
      ['toxiproxy_proxy_received_bytes_total', 'received'],
      ['toxiproxy_proxy_sent_bytes_total', 'sent'],
    ] as const) {
      lines.push(`# TYPE ${name} counter`)
      for (const { labels, counter } of entries) {
        const text = (['direction', 'listener', 'proxy', 'upstream'] as const).map(
          (k) => `${k}="${escapeLabel(labels[k])}"`,
        )
        lines.push(`${name}{${text.join(',')}} ${counter[field]}`)
      }
    }
    return `${lines.join('\n')}\n`
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
