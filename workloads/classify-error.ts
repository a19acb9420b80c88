import { DbError } from '../core/sql/db-error.js'
import type { Completion } from './workload.js'

/**
 * Jepsen's rule: an error that certainly left no effect is `fail`; anything else (lost connection, timeout, a killed
 * waiting session, an unexpected exception) is `info`, since the write may have happened.
 */
export function completionForError(error: unknown): Completion {
  if (error instanceof DbError) return { type: error.definite ? 'fail' : 'info', error: error.code }
  return { type: 'info', error: error instanceof Error ? error.message : String(error) }
}
