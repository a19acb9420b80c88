import { Command, CommanderError } from 'commander'
import { ConfigError } from '../../core/errors/config-error.js'
import { EnvironmentError } from '../../core/errors/environment-error.js'
import { HistoryFormatError } from '../../core/history/history-format-error.js'
import { DEFAULT_CONFIG } from '../config/test-config.js'
import type { CheckFlags } from './check-command.js'
import { EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_INTERNAL } from './exit-codes.js'
import { MATRIX_JSON_FIELDS } from './matrix-json-fields.js'
import type { PruneFlags } from './prune-command.js'
import type { ProxyFlags } from './proxy-command.js'
import type { ReportFlags } from './report-action.js'
import { addTestOptions } from './test-options.js'

/**
 * Builds the CLI; each action resolves to the process exit code. A command's module is imported when it runs, so
 * `--help` and a small `check` load neither zod, mysql2, the engine nor the proxy (bench/README.md, "Start-up").
 */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command()
  program
    .name('semisync-chaos')
    .description('Jepsen-style correctness harness for MySQL/MariaDB semi-synchronous replication')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')

  addTestOptions(program.command('run').description('run one test and check it'))
    .option('--json', 'print the verdict as JSON')
    .action(async (flags: Record<string, string | boolean | undefined>) =>
      setExitCode(await (await import('./run-command.js')).runCommand(flags)),
    )

  program
    .command('check')
    .description('re-check a stored run folder or any history.jsonl in the shared format')
    .argument('<path>', 'a run folder (store/<test>/<run>) or a history.jsonl file')
    .option(
      '--workload <name>',
      'workload whose checkers apply: set, register or list-append (default: from test.json, else set)',
    )
    .option(
      '--checker <name>',
      'linearizable: check linearizability alone; elle: check list-append transactions (Elle) alone; ' +
        'for any history in the shared format',
    )
    .option(
      '--isolation <level>',
      'with --checker elle: read-committed, repeatable-read, serializable or strict-serializable ' +
        "(default: the run's, else serializable)",
    )
    .option('--model <name>', 'with --checker linearizable: register, kv or set (default register)')
    .option('--html <file>', 'with --checker linearizable: write the explanation (timeline of the failing ops) here')
    .option('--json', 'print the verdict as JSON')
    .action(async (path: string, flags: CheckFlags) =>
      setExitCode(await (await import('./check-command.js')).checkCommand(path, flags)),
    )

  program
    .command('report')
    .description(
      "write a run folder's report.html (a self-contained page: verdicts, charts, timeline, config), with --index " +
        "a store's index.html (every run, sortable and filterable, linking to the reports), matrix.html and " +
        'campaigns.html, or with --summary Markdown for a CI job summary',
    )
    .argument('<paths...>', 'a run folder (store/<test>/<run>), or with --index or --summary store folders')
    .option('--index', 'write index.html listing every run of the stores (into the store, or --out with several)')
    .option(
      '--summary',
      "print Markdown of the stores' matrix rows and campaigns, failures first (for a CI job summary)",
    )
    .option('--out <dir>', 'the site folder: with --index, where the pages go (required with several stores)')
    .option('--base-url <url>', 'with --summary: the published site, so that each row links to its report')
    .action(async (paths: string[], flags: ReportFlags) =>
      setExitCode(await (await import('./report-action.js')).reportAction(paths, flags)),
    )

  program
    .command('prune')
    .description(
      "delete a store's old run folders (never a live one) and repoint its latest links; with --compress, gzip the " +
        "kept runs' histories",
    )
    .argument('<store>', 'a store folder (<store>/<test>/<run-id>/)')
    .option('--keep <n>', "keep each test's n newest runs")
    .option(
      '--older-than <days>',
      'delete runs older than this many days (fractional allowed); with --keep, only beyond the n newest',
    )
    .option('--compress', 'gzip history.jsonl into history.jsonl.gz in every finished run kept')
    .option('--dry-run', 'print what would be done, change nothing')
    .option('--json', 'print {dryRun, deleted, compressed, skippedLive, latest, bytesFreed} as one JSON object')
    .action(async (store: string, flags: PruneFlags) =>
      setExitCode(await (await import('./prune-command.js')).pruneCommand(store, flags)),
    )

  program
    .command('proxy')
    .description('run the Toxiproxy-compatible proxy server (127.0.0.1 only) until Ctrl-C')
    .option('--port <port>', 'API port (default 8474; 0 picks a free one)')
    .option('--seed <n>', 'seed for toxicity, jitter and slicing')
    .option(
      '--poll-window-us <us>',
      'keep polling the sockets this long after bytes move before sleeping: a lower median round trip for more CPU (default 0)',
    )
    .action(async (flags: ProxyFlags) => setExitCode(await (await import('./proxy-command.js')).proxyCommand(flags)))

  program
    .command('matrix')
    .description('run the scenario catalogue; exits 0 only if every row passes')
    .option('--db <db>', 'system under test (default sim)')
    .option('--seeds <n>', 'seeds per scenario and wait point (default 3)')
    .option('--first-seed <n>', 'first seed (default 1)')
    .option('--scenario <name...>', 'only these scenarios')
    .option('--junit <file>', 'also write JUnit XML here')
    .option('--results-dir <dir>', `where runs are written (default: ${DEFAULT_CONFIG.resultsDir})`)
    .option('--mariadbd <path>', '--db mariadb: the mariadbd binary (default: found on PATH)')
    .option(
      '--mysqld <path>',
      "--db mysql: the mysqld binary (default: a MySQL on PATH, else setup/install-mysql.sh's)",
    )
    .option(
      '--image <image>',
      '--db mariadb|mysql: run every node as a container of this image (official = mariadb:11.4 or mysql:8.4)',
    )
    .option(
      '--attempts <n>',
      'runs per row when its precondition (commits waiting, a fallback, …) demonstrably did not happen; a verdict is ' +
        'never retried (default: 1 on sim, 3 on real servers)',
    )
    .option(
      '--shard <i/n>',
      'run only every n-th row from the i-th (CI job matrices: shards 1/n … n/n run each row once)',
    )
    .option(
      '--wall-limit <s>',
      '--db mariadb|mysql: a row still running this many wall-clock seconds after its workload started is stopped and ' +
        'fails (default: 3 × its time limit + its recovery timeout + 900)',
    )
    .option('--json', `print the rows as a JSON array of {${MATRIX_JSON_FIELDS.join(', ')}}`)
    .action(async (flags) => setExitCode(await (await import('./matrix-command.js')).matrixCommand(flags)))

  program
    .command('reproduce')
    .argument('<run>', 'a run folder, or its test.json')
    .description(
      'run a stored test again and say whether its verdict came back; on the engine the history must be byte-identical',
    )
    .option('--db <db>', 'replay on another system (e.g. a MariaDB run on the engine: sim)')
    .option('--attempts <n>', 'runs on real servers, where timing differs (default 3; the engine needs one)')
    .option('--results-dir <dir>', "where the new runs go (default: the stored run's)")
    .option('--mariadbd <path>', '--db mariadb: the mariadbd binary (never the one a stored file names)')
    .option('--mysqld <path>', '--db mysql: the mysqld binary (never the one a stored file names)')
    .option('--image <image>', '--db mariadb|mysql: run every node as a container of this image')
    .option('--json', 'print {stored, attempts, reproduced, historyIdentical, firstDifference} as JSON')
    .action(async (run: string, flags) =>
      setExitCode(await (await import('./reproduce-command.js')).reproduceCommand(run, flags)),
    )

  program
    .command('explore')
    .description(
      'property-based search over fault schedules on the engine (fast-check): the safe configuration must show no ' +
        'anomaly; a counterexample is shrunk and written as a run folder',
    )
    .option('--faults <list>', 'faults to draw from, comma-separated (default: every one)')
    .option(
      '--unsafe',
      'also draw the safety settings (wait point, timeout fallback, failover and rejoin policy, relay-log sync, ' +
        'flavor); a counterexample shrinks towards the safe ones, so it names the unsafe settings it needs',
    )
    .option('--expect <kinds>', 'anomaly kinds the property allows, comma-separated (default: none)')
    .option('--num-runs <n>', 'draws (default 100)')
    .option('--time-budget <duration>', 'stop drawing and shrinking after this long: 60s, 10m')
    .option('--seed <n>', "fast-check's seed (default: from the clock)")
    .option('--path <path>', "with --seed: replay fast-check's counterexample at this path")
    .option('--results-dir <dir>', `where the counterexample's run goes (default: ${DEFAULT_CONFIG.resultsDir})`)
    .option('--json', 'print the outcome as JSON')
    .action(async (flags) => setExitCode(await (await import('./explore-command.js')).exploreCommand(flags)))

  program
    .command('shrink')
    .argument('<run-folder>', 'a run that found an anomaly')
    .description(
      'make a failing run smaller while its anomaly persists (fewer faults, a shorter run, fewer clients, a lower ' +
        'rate, fewer replicas): fast-check for a run drawn as a test case (explore, campaign), delta debugging of ' +
        'the schedule for any other; writes test.json, the command, the steps and a vitest regression test',
    )
    .option('--kind <kind>', 'keep this anomaly kind only (default: every kind the run found)')
    .option('--attempts <n>', 'runs per candidate on real servers, where timing differs (default 3; the engine: 1)')
    .option('--time-budget <duration>', 'stop after this long with the smallest so far')
    .option('--out <dir>', 'where to write it (default: <run-folder>/shrunk)')
    .option('--mariadbd <path>', '--db mariadb: the mariadbd binary (never the one a stored file names)')
    .option('--mysqld <path>', '--db mysql: the mysqld binary (never the one a stored file names)')
    .option('--image <image>', '--db mariadb|mysql: run every node as a container of this image')
    .option('--json', 'print {target, method, steps, runs, seconds, out, command} as JSON')
    .action(async (run: string, flags) =>
      setExitCode(await (await import('./shrink-command.js')).shrinkCommand(run, flags)),
    )

  program
    .command('campaign')
    .description(
      'for a wall-clock budget, run drawn rows (catalogue rows with fresh seeds, and the safe random scenario with ' +
        'drawn faults and load); exits 1 on any unexpected verdict',
    )
    .option('--db <db>', 'system under test (default sim)')
    .option('--time-budget <duration>', 'how long to draw new rows: 90s, 20m, 1h30m (a row begun finishes)')
    .option('--seed <n>', 'the campaign seed: the same seed draws the same rows (default: from the clock)')
    .option('--shard <i/n>', 'run only every n-th draw from the i-th; shards of one seed never run a draw twice')
    .option('--resume', "go on with this store's unfinished campaign of the same system and shard")
    .option(
      '--results-dir <dir>',
      `where runs and the campaign record are written (default: ${DEFAULT_CONFIG.resultsDir})`,
    )
    .option('--junit <file>', 'also write JUnit XML here')
    .option('--mariadbd <path>', '--db mariadb: the mariadbd binary (default: found on PATH)')
    .option(
      '--mysqld <path>',
      "--db mysql: the mysqld binary (default: a MySQL on PATH, else setup/install-mysql.sh's)",
    )
    .option('--image <image>', '--db mariadb|mysql: run every node as a container of this image')
    .option('--wall-limit <s>', '--db mariadb|mysql: stop and fail a row still running after this long')
    .option('--json', 'print the campaign record as JSON')
    .action(async (flags) => setExitCode(await (await import('./campaign-command.js')).campaignCommand(flags)))

  return program
}

/** Runs the CLI with `argv` (user arguments only) and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0
  const program = buildProgram((code) => {
    exitCode = code
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT
    }
    if (error instanceof ConfigError || error instanceof HistoryFormatError) {
      process.stderr.write(`semisync-chaos: ${error.message}\n`)
      return EXIT_BAD_INPUT
    }
    if (error instanceof EnvironmentError) {
      process.stderr.write(`semisync-chaos: ${error.message}\n`)
      return EXIT_ENVIRONMENT
    }
    process.stderr.write(
      `semisync-chaos: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    return EXIT_INTERNAL
  }
}
