/** Raw HTTP against the API, for what toxiproxy-node-client cannot see: statuses, headers, error bodies, PATCH. */
export interface RawResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const init: RequestInit = { method, headers, redirect: 'manual' }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  const response = await fetch(`${baseUrl}${path}`, init)
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** The JSON of a successful call; fails with the status and body otherwise. */
export async function callJson<T = unknown>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await call(baseUrl, method, path, body)
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`)
  return JSON.parse(response.text) as T
}

/** Toxiproxy's error body: the JSON plus a newline, as text/plain. */
export function apiErrorText(error: string, status: number): string {
  return `${JSON.stringify({ error, status })}\n`
}

/** Creates proxy `name` from a free local port to `upstream` through the raw API; returns the port it listens on. */
export async function createRawProxy(baseUrl: string, upstream: string, name = 'p'): Promise<number> {
  const proxy = await callJson<{ listen: string }>(baseUrl, 'POST', '/proxies', {
    name,
    listen: '127.0.0.1:0',
    upstream,
  })
  return Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1))
}
