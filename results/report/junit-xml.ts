import type { MatrixRow } from './matrix-row.js'

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  )
}

/** JUnit XML for CI dashboards: one testcase per matrix row, a failure element carrying the reason. */
export function matrixJunitXml(rows: readonly MatrixRow[], suiteName: string, wallSeconds: number): string {
  const errors = rows.filter((r) => r.error !== undefined).length
  const failures = rows.filter((r) => !r.pass && r.error === undefined).length
  const cases = rows.map((row) => {
    const name = escapeXml(`${row.scenario} [${row.waitPoint}] seed ${row.seed}`)
    const detail = `expected [${row.expected.join(', ')}], tolerated [${row.tolerated.join(', ')}], found [${row.found.join(', ')}]`
    const run = `run: ${row.runDir ?? '(in memory)'}`
    // JUnit's error is "could not run", its failure "ran and was wrong": dashboards show them apart.
    const body =
      row.error !== undefined
        ? `\n      <error message="${escapeXml(row.error)}">${escapeXml(run)}</error>\n    `
        : row.pass
          ? ''
          : `\n      <failure message="${escapeXml(row.reason ?? 'failed')}">${escapeXml(`${detail}\n${run}`)}</failure>\n    `
    return `    <testcase classname="${escapeXml(suiteName)}.${escapeXml(row.scenario)}" name="${name}">${body}</testcase>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="semisync-chaos" tests="${rows.length}" failures="${failures}" errors="${errors}" time="${wallSeconds.toFixed(3)}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${rows.length}" failures="${failures}" errors="${errors}" time="${wallSeconds.toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
