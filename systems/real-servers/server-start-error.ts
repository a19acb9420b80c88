import { EnvironmentError } from '../../core/errors/environment-error.js'
import { isPortTaken } from './free-port.js'

/**
 * A server that did not come up; carries the tail of its error log, and whether what it logged during that start
 * says its port was taken (the cluster then moves it to another port). The whole log of the start is searched: MySQL
 * logs a dozen shutdown lines after the bind error.
 */
export class ServerStartError extends EnvironmentError {
  readonly portTaken: boolean

  constructor(
    readonly node: string,
    program: string,
    detail: string,
    /** What the server logged during this start (not before it), when known. */
    logOfStart = '',
  ) {
    super(`${node}: ${program} did not start: ${detail}`)
    this.name = 'ServerStartError'
    this.portTaken = isPortTaken(logOfStart) || isPortTaken(detail)
  }
}
