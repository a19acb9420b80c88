import type { IncomingMessage } from 'node:http'
import { ApiError, asApiError } from './api-errors.js'
import { cleanPath, type ApiRouter } from './api-router.js'
import { apiErrorReply, emptyReply, goHttpErrorReply, type Reply } from './http-replies.js'
import { SerialQueue } from './serial-queue.js'

/** Requests bigger than this are refused; real bodies are a few hundred bytes. */
const MAX_BODY_BYTES = 16 * 1024 * 1024

/**
 * Turns a request into a reply the way Toxiproxy's gorilla/mux stack does: unclean paths are redirected, browsers are
 * refused (403, a guard against cross-site requests from a web page), unknown paths are 404, known paths with the wrong
 * method 405. Matched handlers run one at a time; whatever they throw becomes an API error reply.
 */
export function apiDispatcher(router: ApiRouter): (request: IncomingMessage) => Promise<Reply> {
  const queue = new SerialQueue()
  return async (request) => {
    const url = request.url ?? '/'
    const queryAt = url.indexOf('?')
    let path: string
    try {
      path = decodeURIComponent(queryAt < 0 ? url : url.slice(0, queryAt))
    } catch {
      return goHttpErrorReply(400, '400 Bad Request')
    }
    const clean = cleanPath(path)
    if (clean !== path) {
      const query = queryAt < 0 ? '' : url.slice(queryAt)
      return { status: 301, headers: { Location: encodeURI(clean) + query }, body: '' }
    }
    if ((request.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
      return goHttpErrorReply(403, 'User agent not allowed')
    }
    const method = request.method ?? 'GET'
    const match = router.match(method, path)
    if (match.kind === 'not-found') return goHttpErrorReply(404, '404 page not found')
    if (match.kind === 'method-not-allowed') return emptyReply(405)
    let body: string
    try {
      body = await readBody(request)
    } catch (error) {
      return apiErrorReply(asApiError(error))
    }
    return queue.run(async () => {
      try {
        return await match.handler({ method, params: match.params, body })
      } catch (error) {
        return apiErrorReply(asApiError(error))
      }
    })
  }
}

/**
 * The whole body as text. A body over the cap is still read to its end, and thrown away: the next request on a
 * keep-alive connection starts right after it, so stopping early would leave the rest where that request is expected
 * (and the connection would never answer again). Node's requestTimeout (15 s) bounds a body that never ends.
 */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    else chunks.length = 0
  }
  if (size > MAX_BODY_BYTES) throw new ApiError('bad request body: http: request body too large', 400)
  return Buffer.concat(chunks).toString('utf8')
}
