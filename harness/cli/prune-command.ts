import { checkPrunePolicy, pruneStore, type PruneOutcome, type PrunePolicy } from '../../results/store/prune-store.js'
import { parseInteger, parseNumber } from '../config/flag-parsers.js'
import { EXIT_VALID } from './exit-codes.js'

export interface PruneFlags {
  keep?: string
  olderThan?: string
  compress?: boolean
  dryRun?: boolean
  json?: boolean
}

/** The policy the flags ask for; a missing, malformed or out-of-range flag is a ConfigError naming it. */
export function prunePolicyOf(flags: PruneFlags): PrunePolicy {
  const policy: PrunePolicy = {
    ...(flags.keep === undefined ? {} : { keep: parseInteger('--keep', flags.keep) }),
    ...(flags.olderThan === undefined ? {} : { olderThanDays: parseNumber('--older-than', flags.olderThan) }),
    compress: flags.compress === true,
  }
  checkPrunePolicy(policy)
  return policy
}

/**
 * `semisync-chaos prune <store> (--keep <n> | --older-than <days>) [--compress] [--dry-run] [--json]`: deletes old
 * run folders (never a live one), repoints `latest`, and optionally gzips the kept runs' histories.
 */
export async function pruneCommand(storeDir: string, flags: PruneFlags): Promise<number> {
  const outcome = await pruneStore(storeDir, prunePolicyOf(flags), { dryRun: flags.dryRun === true })
  process.stdout.write(flags.json ? `${JSON.stringify(outcome)}\n` : pruneText(outcome))
  return EXIT_VALID
}

/** One line per run deleted, compressed or skipped and per `latest` link moved, then the total. */
export function pruneText(outcome: PruneOutcome): string {
  const would = (done: string, planned: string): string => (outcome.dryRun ? `would ${planned}` : done)
  const lines = [
    ...outcome.deleted.map((run) => `${would('deleted', 'delete')} ${run.path} (${run.bytes} bytes)`),
    ...outcome.compressed.map((run) =>
      run.bytesAfter === null
        ? `would compress ${run.path}/history.jsonl (${run.bytesBefore} bytes)`
        : `compressed ${run.path}/history.jsonl (${run.bytesBefore} → ${run.bytesAfter} bytes)`,
    ),
    ...outcome.skippedLive.map((path) => `skipped ${path}: its run is live`),
    ...outcome.latest.map((change) =>
      change.target === null
        ? `${would('removed', 'remove')} ${change.link} (no finished run left)`
        : `${would('repointed', 'repoint')} ${change.link} → ${change.target}`,
    ),
  ]
  const runs = `${outcome.deleted.length} run(s)`
  const histories = `${outcome.compressed.length} history file(s)`
  lines.push(
    outcome.dryRun
      ? `dry run, nothing changed: deleting ${runs} would free ${outcome.bytesFreed} bytes; ${histories} to compress`
      : `freed ${outcome.bytesFreed} bytes: ${runs} deleted, ${histories} compressed`,
  )
  return `${lines.join('\n')}\n`
}
