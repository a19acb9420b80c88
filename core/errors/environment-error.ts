/**
 * The machine cannot run the system under test: a server binary is missing, a server would not start, a Toxiproxy
 * does not answer. Not the user's input and not a bug: the CLI says so and exits 253. Each system's errors extend it.
 */
export class EnvironmentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'EnvironmentError'
  }
}
