import { ERR_BAD_REQUEST_BODY } from './api-errors.js'
import type { GoTypeErrors } from './go-json-decoder.js'
import { GoJsonSyntaxError, parseGoJson, type GoJsonValue } from './go-json-parser.js'

/** Parses a request body, turning syntax errors into Toxiproxy's `bad request body: <Go error>`. */
export function parseBody(body: string): GoJsonValue {
  try {
    return parseGoJson(body)
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) throw ERR_BAD_REQUEST_BODY.joined(error.message)
    throw error
  }
}

export function throwFirstTypeError(errors: GoTypeErrors): void {
  if (errors.first !== null) throw ERR_BAD_REQUEST_BODY.joined(errors.first)
}
