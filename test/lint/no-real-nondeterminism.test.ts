import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// The simulator and the engine must draw time and randomness only from the simulator: anything below bans the
// sources of real nondeterminism (a lint rule, as a test so CI enforces it without a linter).
const BANNED: Array<[RegExp, string]> = [
  [/\bMath\.random\b/, 'Math.random'],
  [/\bDate\.now\b/, 'Date.now'],
  [/\bnew Date\b/, 'new Date'],
  [/\bperformance\.now\b/, 'performance.now'],
  [/\bprocess\.hrtime\b/, 'process.hrtime'],
  [/\bset(Timeout|Interval|Immediate)\s*\(/, 'real timers'],
  [/\bqueueMicrotask\b/, 'queueMicrotask'],
  [/from 'node:(fs|net|dgram|http|https|child_process|crypto|timers|worker_threads)/, 'real I/O'],
  [/\bcrypto\.(random|getRandom)/, 'crypto randomness'],
]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe('the simulator and engine use no real time, randomness or I/O', () => {
  const root = join(import.meta.dirname, '..', '..')
  const files = sourceFiles(join(root, 'engine'))

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(10)
  })

  for (const file of files) {
    it(relative(root, file), () => {
      const code = readFileSync(file, 'utf8')
      const found = BANNED.filter(([pattern]) => pattern.test(code)).map(([, what]) => what)
      expect(found).toEqual([])
    })
  }
})
