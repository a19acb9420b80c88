import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import type { MatrixRow } from '../../results/report/matrix-row.js'
import { EXIT_ENVIRONMENT, EXIT_INVALID, EXIT_VALID } from './exit-codes.js'

/** One line of row output: PASS, FAIL (a verdict the catalogue did not expect) or ERROR (no verdict at all). */
export function rowLine(row: MatrixRow): string {
  const what = `${row.scenario} [${row.waitPoint}] seed ${row.seed}`
  const retried = row.attempts !== undefined && row.attempts > 1 ? ` (after ${row.attempts} attempts)` : ''
  if (row.error !== undefined) return `ERROR ${what}: ${row.error}${retried}`
  const found = row.found.length > 0 ? row.found.join(', ') : 'no anomaly'
  return `${row.pass ? 'PASS' : 'FAIL'}  ${what}: ${found}${row.reason ? ` — ${row.reason}` : ''}${retried}`
}

/** `12/14 rows passed (1 failed, 1 could not run) in 3.2 s`. */
export function rowsSummary(rows: readonly MatrixRow[], wallSeconds: number, noun = 'rows'): string {
  const failed = rows.filter((r) => !r.pass && r.error === undefined).length
  const inconclusive = rows.filter((r) => r.inconclusive).length
  const errors = rows.filter((r) => r.error !== undefined).length - inconclusive
  const notes = [
    failed > 0 ? `${failed} failed` : '',
    errors > 0 ? `${errors} could not run` : '',
    inconclusive > 0 ? `${inconclusive} inconclusive: the precondition never happened` : '',
  ]
  const tail = notes.filter(Boolean).join(', ')
  return `${rows.length - failed - errors - inconclusive}/${rows.length} ${noun} passed${tail ? ` (${tail})` : ''} in ${wallSeconds.toFixed(1)} s`
}

/** A failed row is a finding (1); rows that could not run at all, and nothing worse, are the machine's (253). */
export function rowsExitCode(rows: readonly MatrixRow[]): number {
  if (rows.some((r) => !r.pass && r.error === undefined)) return EXIT_INVALID
  return rows.some((r) => r.error !== undefined) ? EXIT_ENVIRONMENT : EXIT_VALID
}

/** Writes the JUnit file; a path that cannot be written is bad input, said after the rows were printed. */
export function writeJunit(path: string, xml: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, xml)
  } catch (error) {
    throw new ConfigError('--junit', `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
}
