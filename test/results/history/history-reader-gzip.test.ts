import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { HistoryFormatError } from '../../../core/history/history-format-error.js'
import { readHistoryFile, withLineNumber } from '../../../results/history/history-reader.js'
import { tempDir } from '../../harness/cli/cli-kit.js'
import { SAMPLE_HISTORY, writeHistory } from '../store-kit.js'

async function formatErrorOf(path: string): Promise<HistoryFormatError> {
  const error = await readHistoryFile(path).catch((e: unknown) => e)
  if (error instanceof HistoryFormatError) return error
  throw new Error(`expected a HistoryFormatError, got ${String(error)}`)
}

describe('readHistoryFile of a gzip-compressed history', () => {
  it('reads history.jsonl.gz as the same ops as history.jsonl', async () => {
    const dir = tempDir()
    const plain = await readHistoryFile(writeHistory(dir, SAMPLE_HISTORY))
    const compressed = await readHistoryFile(writeHistory(dir, SAMPLE_HISTORY, { gzip: true }))
    expect(plain).toHaveLength(11)
    expect(compressed).toEqual(plain)
  })

  it('goes by the magic bytes, not the name: plain text named .gz and gzip named .jsonl both read', async () => {
    const dir = tempDir()
    const plainNamedGz = join(dir, 'plain.jsonl.gz')
    writeFileSync(plainNamedGz, SAMPLE_HISTORY)
    const gzipNamedPlain = join(dir, 'packed.jsonl')
    writeFileSync(gzipNamedPlain, gzipSync(SAMPLE_HISTORY))
    expect(await readHistoryFile(gzipNamedPlain)).toEqual(await readHistoryFile(plainNamedGz))
  })

  it('keeps the message and line number of a malformed line', async () => {
    const dir = tempDir()
    const lines = SAMPLE_HISTORY.split('\n')
    lines[2] = '{"index":2,"time":3000,"process":1,"type":"done","f":"add","key":"0","value":1}'
    const text = lines.join('\n')
    const plain = await formatErrorOf(writeHistory(dir, text))
    const path = writeHistory(dir, text, { gzip: true })
    const compressed = await formatErrorOf(path)
    expect(compressed.line).toBe(3)
    expect(compressed.problem).toBe(plain.problem)
    expect(compressed.message).toBe(`${path} line 3: "type" must be one of invoke, ok, fail, info (got "done")`)
  })

  it("turns a checker's op index into the line of the decompressed text", async () => {
    const path = writeHistory(tempDir(), SAMPLE_HISTORY, { gzip: true })
    const located = await withLineNumber(new HistoryFormatError('bad value', { opIndex: 5 }), path)
    expect(located.message).toBe(`${path} line 6: bad value`)
  })

  it('calls a truncated gzip file bad input naming the file', async () => {
    const dir = tempDir()
    const path = writeHistory(dir, SAMPLE_HISTORY.repeat(20), { gzip: true })
    const whole = readFileSync(path)
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)))
    const error = await formatErrorOf(path)
    expect(error.file).toBe(path)
    expect(error.message).toBe(
      `${path}: cannot decompress its gzip data (unexpected end of file): the file is truncated or corrupt`,
    )
  })

  it('calls a corrupt gzip file bad input naming the file', async () => {
    const dir = tempDir()
    const path = writeHistory(dir, SAMPLE_HISTORY, { gzip: true })
    const bytes = readFileSync(path)
    // The CRC-32 of the trailer: the data inflates, its check fails.
    bytes[bytes.length - 8] = (bytes[bytes.length - 8] ?? 0) ^ 0xff
    writeFileSync(path, bytes)
    const error = await formatErrorOf(path)
    expect(error.file).toBe(path)
    expect(error.message).toMatch(/cannot decompress its gzip data \(.+\): the file is truncated or corrupt$/)
  })
})
