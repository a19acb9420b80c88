/**
 * Toxiproxy's `ApiError{error, status}`. Every API failure becomes one: the HTTP status plus the exact message real
 * Toxiproxy sends (clients and tests match on these strings).
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** Go's joinError: `<wrapper message>: <detail>` with the wrapper's status. */
  joined(detail: string): ApiError {
    return new ApiError(`${this.message}: ${detail}`, this.status)
  }
}

export const ERR_BAD_REQUEST_BODY = new ApiError('bad request body', 400)
export const ERR_MISSING_FIELD = new ApiError('missing required field', 400)
export const ERR_PROXY_NOT_FOUND = new ApiError('proxy not found', 404)
export const ERR_PROXY_ALREADY_EXISTS = new ApiError('proxy already exists', 409)
export const ERR_INVALID_STREAM = new ApiError('stream was invalid, can be either upstream or downstream', 400)
export const ERR_INVALID_TOXIC_TYPE = new ApiError('invalid toxic type', 400)
export const ERR_TOXIC_ALREADY_EXISTS = new ApiError('toxic already exists', 409)
export const ERR_TOXIC_NOT_FOUND = new ApiError('toxic not found', 404)

/** A failure without an API status (a listen or resolve error) is a 500 carrying the error's text, as in Go. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(error instanceof Error ? error.message : String(error), 500)
}
