// The embedded Toxiproxy-compatible server's public entry: the rest of the project starts and stops it through these,
// and drives it only over its HTTP API (toxiproxy-node-client). Its internals are its own.
export {
  startToxiproxyServer,
  ToxiproxyListenError,
  type ToxiproxyServer,
  type ToxiproxyServerOptions,
} from './toxiproxy-server.js'
export { DEFAULT_API_PORT } from './version.js'
