import type { Reply } from './http-replies.js'

export interface ApiRequest {
  readonly method: string
  /** Path variables: `proxy` and `toxic`, decoded. */
  readonly params: Readonly<Record<string, string>>
  readonly body: string
}

export type Handler = (request: ApiRequest) => Promise<Reply> | Reply

export interface Route {
  /** Like gorilla/mux: `/proxies/{proxy}/toxics`; a variable matches one non-empty path segment. */
  readonly pattern: string
  /** Handlers by HTTP method; `*` accepts any method. */
  readonly methods: Readonly<Record<string, Handler>>
}

export type RouteMatch =
  | { readonly kind: 'handler'; readonly handler: Handler; readonly params: Record<string, string> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed' }

/** Matches a decoded path against the routes: a path match with the wrong method is 405, no path match is 404. */
export class ApiRouter {
  private readonly routes: ReadonlyArray<{ segments: string[]; methods: Readonly<Record<string, Handler>> }>

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((route) => ({ segments: route.pattern.split('/').slice(1), methods: route.methods }))
  }

  match(method: string, path: string): RouteMatch {
    const segments = path.split('/').slice(1)
    let pathMatched = false
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments)
      if (params === null) continue
      const key = Object.hasOwn(route.methods, method) ? method : '*'
      const handler = Object.hasOwn(route.methods, key) ? route.methods[key] : undefined
      if (handler !== undefined) return { kind: 'handler', handler, params }
      pathMatched = true
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' }
  }
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string
    const actual = segments[i] as string
    if (expected.startsWith('{') && expected.endsWith('}')) {
      if (actual === '') return null
      params[expected.slice(1, -1)] = actual
    } else if (expected !== actual) {
      return null
    }
  }
  return params
}

/**
 * gorilla/mux's cleanPath (Go's path.Clean, keeping a trailing slash): a request for an unclean path such as
 * `//proxies` or `/proxies/./x` is redirected (301) to the clean one.
 */
export function cleanPath(path: string): string {
  if (path === '') return '/'
  const rooted = path.startsWith('/') ? path : `/${path}`
  const out: string[] = []
  for (const part of rooted.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  const clean = `/${out.join('/')}`
  return rooted.endsWith('/') && clean !== '/' ? `${clean}/` : clean
}
