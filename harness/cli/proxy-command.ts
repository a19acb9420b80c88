import { ConfigError } from '../../core/errors/config-error.js'
import { parseInteger } from '../config/flag-parsers.js'
import { EXIT_ENVIRONMENT } from './exit-codes.js'
import { DEFAULT_API_PORT, startToxiproxyServer, ToxiproxyListenError } from '../../toxiproxy/index.js'

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const

export interface ProxyFlags {
  port?: string
  seed?: string
  pollWindowUs?: string
}

/** The longest poll window accepted: a second of polling after every chunk would be a CPU burner, not a proxy. */
const MAX_POLL_WINDOW_US = 1_000_000

/**
 * `semisync-chaos proxy [--port 8474] [--seed N] [--poll-window-us 0]`: runs the Toxiproxy-compatible server in the
 * foreground until SIGINT or SIGTERM, then closes every proxy and the API and returns 0. A port that cannot be bound is
 * an environment problem (exit 253), a malformed flag bad input (ConfigError, exit 254).
 */
export async function proxyCommand(flags: ProxyFlags): Promise<number> {
  const port = flags.port === undefined ? DEFAULT_API_PORT : parseInteger('--port', flags.port)
  if (port < 0 || port > 65535) throw new ConfigError('--port', `expected a port from 0 to 65535, got ${port}`)
  const seed = flags.seed === undefined ? undefined : parseInteger('--seed', flags.seed)
  if (seed !== undefined && seed < 0) throw new ConfigError('--seed', `expected a seed ≥ 0, got ${seed}`)
  const pollWindowUs = flags.pollWindowUs === undefined ? 0 : parseInteger('--poll-window-us', flags.pollWindowUs)
  if (pollWindowUs < 0 || pollWindowUs > MAX_POLL_WINDOW_US)
    throw new ConfigError('--poll-window-us', `expected 0 to ${MAX_POLL_WINDOW_US} µs, got ${pollWindowUs}`)
  let server
  try {
    server = await startToxiproxyServer({ port, ...(seed === undefined ? {} : { seed }), metrics: true, pollWindowUs })
  } catch (error) {
    if (!(error instanceof ToxiproxyListenError)) throw error
    process.stderr.write(`semisync-chaos: proxy: ${error.message}\n`)
    return EXIT_ENVIRONMENT
  }
  process.stdout.write(
    `Toxiproxy-compatible API listening on ${server.url} (seed ${server.seed}; proxies listen on 127.0.0.1)\n`,
  )
  const signal = await new Promise<string>((resolve) => {
    const onSignal = (name: string): void => {
      for (const s of SHUTDOWN_SIGNALS) process.off(s, onSignal)
      resolve(name)
    }
    for (const s of SHUTDOWN_SIGNALS) process.on(s, onSignal)
  })
  process.stdout.write(`${signal}: closing the proxies\n`)
  await server.close()
  return 0
}
