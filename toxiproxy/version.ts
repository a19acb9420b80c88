/**
 * What GET /version reports: the Toxiproxy API level this server implements, with semver build metadata naming it, so
 * clients that parse the version see 2.12.0 and a person can tell the embedded server from a real Toxiproxy.
 */
export const TOXIPROXY_VERSION = '2.12.0+semisync-chaos'

/** Toxiproxy's default API port. */
export const DEFAULT_API_PORT = 8474
