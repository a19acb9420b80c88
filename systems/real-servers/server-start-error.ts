import { EnvironmentError } from '../../core/errors/environment-error.js'

/** A server that did not come up; carries the tail of its error log. */
export class ServerStartError extends EnvironmentError {
  constructor(
    readonly node: string,
    program: string,
    detail: string,
  ) {
    super(`${node}: ${program} did not start: ${detail}`)
    this.name = 'ServerStartError'
  }
}
