import type { ApiError } from './api-errors.js'
import { goJsonString } from './go-json-encoder.js'

/** A complete HTTP response, built by a handler and written once. */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export function jsonReply(status: number, json: string, contentType = 'application/json'): Reply {
  return { status, headers: { 'Content-Type': contentType }, body: json }
}

export function emptyReply(status: number): Reply {
  return { status, headers: {}, body: '' }
}

/** Go's http.Error: the text plus a newline, as text/plain with `X-Content-Type-Options: nosniff`. */
export function goHttpErrorReply(status: number, text: string): Reply {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: `${text}\n`,
  }
}

/** Toxiproxy's apiError: `{"error":…,"status":…}` written through http.Error, so text/plain with a trailing newline. */
export function apiErrorReply(error: ApiError): Reply {
  return goHttpErrorReply(error.status, `{"error":${goJsonString(error.message)},"status":${error.status}}`)
}
