import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Writes a run folder with the files the index reads. */
export function fakeRun(
  store: string,
  test: string,
  runId: string,
  config: Record<string, unknown>,
  results: Record<string, unknown> | string | null,
  report = true,
): string {
  const dir = join(store, test, runId)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'test.json'), JSON.stringify({ name: test, ...config }))
  if (results !== null)
    writeFileSync(join(dir, 'results.json'), typeof results === 'string' ? results : JSON.stringify(results))
  if (report) writeFileSync(join(dir, 'report.html'), '<!doctype html>')
  return dir
}
