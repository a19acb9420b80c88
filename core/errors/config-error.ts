/** A bad flag or config field: the CLI prints it and exits 254. `field` names the flag (`--replicas`) or field. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`)
    this.name = 'ConfigError'
  }
}
