import { createReadStream } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { HistoryFormatError } from '../../core/history/history-format-error.js'
import type { Op, OpType } from '../../core/history/op.js'

/**
 * Reads a history in the JSON Lines format of `docs/history-format.md` and checks it, in the spirit of Jepsen's
 * history validation: every line must be a well-formed op, and client processes must follow the invoke/complete
 * discipline. Checkers can then trust pairing instead of re-validating it.
 */
export async function readHistoryFile(path: string): Promise<Op[]> {
  const text = await readHistoryText(path)
  return parseHistory(text, path)
}

/** What every gzip stream starts with (RFC 1952): the file's name does not decide, its bytes do. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b])

/**
 * A history file's text: as it is, or gunzipped when it starts with gzip's magic bytes (`history.jsonl.gz`, which
 * `prune --compress` writes). Line numbers in errors are those of the decompressed text. A gzip stream that is
 * truncated or corrupt is bad input naming the file, never a crash.
 */
export async function readHistoryText(path: string): Promise<string> {
  if (!(await startsWithGzipMagic(path))) return readFile(path, 'utf8')
  const chunks: Buffer[] = []
  try {
    await pipeline(createReadStream(path), createGunzip(), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) chunks.push(chunk)
    })
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    if (code === undefined || !code.startsWith('Z_')) throw error
    throw new HistoryFormatError(`cannot decompress its gzip data (${message}): the file is truncated or corrupt`, {
      file: path,
    })
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const file = await open(path, 'r')
  try {
    const head = Buffer.alloc(GZIP_MAGIC.length)
    const { bytesRead } = await file.read(head, 0, head.length, 0)
    return bytesRead === head.length && head.equals(GZIP_MAGIC)
  } finally {
    await file.close()
  }
}

/**
 * A checker's HistoryFormatError names an op's index; a person wants the line. Re-reads the file (only on that error
 * path) and returns the error with the line of that op, or the error as it was.
 */
export async function withLineNumber(error: HistoryFormatError, path: string): Promise<HistoryFormatError> {
  if (error.line !== undefined || error.opIndex === undefined) return error
  const lines = (await readHistoryText(path)).split('\n')
  const wanted = `"index":${error.opIndex},`
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? ''
    if (!raw.includes(wanted) && !raw.includes(`"index": ${error.opIndex},`)) continue
    try {
      if ((JSON.parse(raw) as { index?: unknown }).index === error.opIndex) {
        return new HistoryFormatError(error.problem, { line: i + 1, file: path })
      }
    } catch {
      // not this line
    }
  }
  return new HistoryFormatError(error.problem, { opIndex: error.opIndex, file: path })
}

/** Parses JSON Lines text (blank lines and a trailing newline allowed); throws {@link HistoryFormatError}. */
export function parseHistory(text: string, file?: string): Op[] {
  const ops: Op[] = []
  const structure = new StructureValidator(file)
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? ''
    if (raw.trim() === '') continue
    const line = i + 1
    const op = parseOpLine(raw, line, file)
    structure.accept(op, line)
    ops.push(op)
  }
  return ops
}

const OP_TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info']
const ROLES: readonly string[] = ['primary', 'replica']
const OPTIONAL_STRING_FIELDS = ['key', 'node', 'error'] as const
/** How deep a line's JSON may nest: far beyond any workload's values, far below what recursion can take. */
const MAX_NESTING = 64

/** Whether `value` nests arrays/objects deeper than `limit` (iterative: the check itself must not overflow). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number]
    if (v === null || typeof v !== 'object') continue
    if (depth > limit) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}

/** Field-level checks of one line. Unknown extra fields are kept: other tools may add their own. */
function parseOpLine(raw: string, line: number, file: string | undefined): Op {
  const bad = (problem: string): HistoryFormatError => new HistoryFormatError(problem, { line, file })
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (err) {
    throw bad(`not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw bad(`must be a JSON object (got ${describe(parsed)})`)
  }
  const o = parsed as Record<string, unknown>
  if (nestedDeeperThan(o, MAX_NESTING)) {
    throw bad(`nested deeper than ${MAX_NESTING} levels (no checker needs that; deeper values overflow the stack)`)
  }

  if (!isNonNegativeInteger(o['index'])) throw bad(`"index" must be a non-negative integer ${got(o['index'])}`)
  if (!isNonNegativeInteger(o['time'])) throw bad(`"time" must be a non-negative integer ${got(o['time'])}`)
  if (!isNonNegativeInteger(o['process']) && o['process'] !== 'nemesis') {
    throw bad(`"process" must be a non-negative integer or "nemesis" ${got(o['process'])}`)
  }
  if (!OP_TYPES.includes(o['type'] as OpType)) {
    throw bad(`"type" must be one of ${OP_TYPES.join(', ')} ${got(o['type'])}`)
  }
  if (typeof o['f'] !== 'string' || o['f'] === '') throw bad(`"f" must be a non-empty string ${got(o['f'])}`)
  for (const field of OPTIONAL_STRING_FIELDS) {
    if (o[field] !== undefined && typeof o[field] !== 'string') {
      throw bad(`"${field}" must be a string when present ${got(o[field])}`)
    }
  }
  if (o['final'] !== undefined && typeof o['final'] !== 'boolean') {
    throw bad(`"final" must be a boolean when present ${got(o['final'])}`)
  }
  if (o['role'] !== undefined && !ROLES.includes(o['role'] as string)) {
    throw bad(`"role" must be one of ${ROLES.join(', ')} when present ${got(o['role'])}`)
  }
  return o as unknown as Op
}

/**
 * Cross-line rules: indices strictly increase (they need not be dense: other tools may drop events), a client process
 * has one op in flight, a completion repeats its invoke's `f` and `key`, and a process whose op ended `info` is never
 * used again. The nemesis is free-form.
 */
class StructureValidator {
  private previous: { index: number; line: number } | undefined
  private readonly inFlight = new Map<number, { op: Op; line: number }>()
  /** process → line of the `info` that ended it */
  private readonly crashed = new Map<number, number>()

  constructor(private readonly file: string | undefined) {}

  accept(op: Op, line: number): void {
    const bad = (problem: string): HistoryFormatError => new HistoryFormatError(problem, { line, file: this.file })
    if (this.previous !== undefined && op.index <= this.previous.index) {
      const { index, line: previousLine } = this.previous
      throw bad(`"index" must be strictly increasing (got ${op.index} after ${index} on line ${previousLine})`)
    }
    this.previous = { index: op.index, line }
    if (typeof op.process !== 'number') return

    const p = op.process
    const crashedOn = this.crashed.get(p)
    if (crashedOn !== undefined) {
      throw bad(`process ${p} is used again after its op ended "info" on line ${crashedOn} (crashed processes retire)`)
    }
    const pending = this.inFlight.get(p)
    if (op.type === 'invoke') {
      if (pending !== undefined) {
        const inFlight = `its "${pending.op.f}" from line ${pending.line} is still in flight`
        throw bad(`process ${p} invokes "${op.f}" while ${inFlight}`)
      }
      this.inFlight.set(p, { op, line })
      return
    }
    if (pending === undefined) throw bad(`"${op.type}" completion for process ${p} has no invoke in flight`)
    const invoke = pending.op
    if (op.f !== invoke.f) {
      throw bad(`"${op.type}" completion has "f" "${op.f}" but the invoke on line ${pending.line} has "${invoke.f}"`)
    }
    if (invoke.key !== undefined && op.key !== invoke.key) {
      const keys = `${describe(op.key)} but the invoke on line ${pending.line} has "${invoke.key}"`
      throw bad(`"${op.type}" completion has "key" ${keys}`)
    }
    this.inFlight.delete(p)
    if (op.type === 'info') this.crashed.set(p, line)
  }
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

function got(v: unknown): string {
  return v === undefined ? '(missing)' : `(got ${describe(v)})`
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'an array'
  if (v !== null && typeof v === 'object') return 'an object'
  return JSON.stringify(v)
}
