import type { Command } from 'commander'
import { defaultTextOf, RUN_OPTIONS, type RunOption } from '../config/run-options.js'

/** The flags that describe a test, from the option table; `run` takes them all. */
export function addTestOptions(command: Command): Command {
  command.option(
    '--config <test.json>',
    'start from a stored test.json (reproduce a run); flags given here override it',
  )
  for (const option of Object.values(RUN_OPTIONS) as RunOption[]) {
    if (option.flag === null) continue
    const usage = option.argument ? `${option.flag} ${option.argument}` : option.flag
    command.option(usage, `${option.help} (default: ${defaultTextOf(option)})`)
  }
  return command
}
