import type { Validity } from '../../checkers/checker.js'

/** Jepsen's exit codes: the verdict, or why there is none. */
export const EXIT_VALID = 0
export const EXIT_INVALID = 1
export const EXIT_UNKNOWN = 2
/** The run did not finish within its wall-clock limit (`--wall-limit`): stopped, its history kept, servers stopped. */
export const EXIT_OVERRAN = 3
/** A bad flag, config field or input file; the message names it. */
export const EXIT_BAD_INPUT = 254
/** The system under test could not be set up: mariadbd missing, a server that would not start. */
export const EXIT_ENVIRONMENT = 253
/** A bug or crash in the harness itself. */
export const EXIT_INTERNAL = 255

export function exitCodeFor(valid: Validity): number {
  if (valid === true) return EXIT_VALID
  if (valid === false) return EXIT_INVALID
  return EXIT_UNKNOWN
}
