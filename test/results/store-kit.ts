import { mkdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { MatrixRow } from '../../results/report/matrix-row.js'

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

/**
 * A small set-workload history in the shared format: two acknowledged adds, a read, a kill, and final reads where the
 * primary lacks element 1 (lost-acked-write, phantom-read, divergence), so a checker has a verdict to give.
 */
export const SAMPLE_HISTORY = [
  '{"index":0,"time":1000,"process":0,"type":"invoke","f":"add","key":"0","value":0}',
  '{"index":1,"time":2000,"process":0,"type":"ok","f":"add","key":"0","value":0,"node":"n1"}',
  '{"index":2,"time":3000,"process":1,"type":"invoke","f":"add","key":"0","value":1}',
  '{"index":3,"time":4000,"process":1,"type":"ok","f":"add","key":"0","value":1,"node":"n1"}',
  '{"index":4,"time":5000,"process":2,"type":"invoke","f":"read","key":"0","value":null}',
  '{"index":5,"time":6000,"process":2,"type":"ok","f":"read","key":"0","value":[0,1],"node":"n1"}',
  '{"index":6,"time":7000,"process":"nemesis","type":"info","f":"kill","value":"n1"}',
  '{"index":7,"time":9000,"process":3,"type":"invoke","f":"read","value":null,"node":"n2","final":true,"role":"primary"}',
  '{"index":8,"time":9500,"process":3,"type":"ok","f":"read","value":[0],"node":"n2","final":true,"role":"primary"}',
  '{"index":9,"time":9600,"process":4,"type":"invoke","f":"read","value":null,"node":"n1","final":true,"role":"replica"}',
  '{"index":10,"time":9700,"process":4,"type":"ok","f":"read","value":[0,1],"node":"n1","final":true,"role":"replica"}',
]
  .map((line) => `${line}\n`)
  .join('')

/** Writes a run folder's history: history.jsonl, or with `gzip` history.jsonl.gz (the same text, compressed). */
export function writeHistory(runDir: string, text = SAMPLE_HISTORY, options: { gzip?: boolean } = {}): string {
  const path = join(runDir, options.gzip ? 'history.jsonl.gz' : 'history.jsonl')
  writeFileSync(path, options.gzip ? gzipSync(text) : text)
  return path
}

/** Writes live.json as a run going on does (this process on this host unless told otherwise). */
export function writeLiveMarker(runDir: string, marker: { pid?: number; host?: string } = {}): void {
  const live = { pid: marker.pid ?? process.pid, host: marker.host ?? hostname(), startedAt: new Date().toISOString() }
  writeFileSync(join(runDir, 'live.json'), `${JSON.stringify(live)}\n`)
}

/** A judged matrix row (a pass unless `extra` says otherwise), its run folder `<scenario>/r<seed>` unless given. */
export function fakeRow(scenario: string, seed: number, extra: Partial<MatrixRow> = {}): MatrixRow {
  return {
    scenario,
    db: 'sim',
    waitPoint: 'after_sync',
    seed,
    expected: [],
    tolerated: [],
    found: [],
    pass: true,
    valid: true,
    runDir: `${scenario}/r${seed}`,
    ...extra,
  }
}
