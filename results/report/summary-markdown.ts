import type { MatrixRow } from './matrix-row.js'
import { markdownCell, markdownLink, markdownTable } from './markdown-table.js'
import { budgetText, type CampaignListing } from './store-index/campaign-listing.js'
import type { MatrixColumn } from './store-index/merge-matrices.js'

/** What the summary reports: a site's merged matrices and its campaigns (run folders relative to the site). */
export interface SummaryInput {
  matrices: readonly MatrixColumn[]
  campaigns: readonly CampaignListing[]
}

export interface SummaryOptions {
  /** The published site: each row links to `<baseUrl>/<run folder>/report.html`. Without it, plain text. */
  baseUrl?: string
  /**
   * Passing rows listed in each table after every failure and error; the rest are counted. GitHub keeps at most 1 MiB
   * of a step's summary, and a nightly matrix has thousands of rows.
   */
  passingRowsShown?: number
}

const DEFAULT_PASSING_ROWS_SHOWN = 20

type Verdict = 'FAIL' | 'ERROR' | 'PASS'

const verdictOf = (row: MatrixRow): Verdict => (row.pass ? 'PASS' : row.error !== undefined ? 'ERROR' : 'FAIL')
const RANK: Record<Verdict, number> = { FAIL: 0, ERROR: 1, PASS: 2 }
const kinds = (list: readonly string[]): string => (list.length > 0 ? list.join(', ') : 'nothing')
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/**
 * The Markdown of a CI job summary (`$GITHUB_STEP_SUMMARY`): a headline, then per system its matrix rows (failures
 * and errors first: scenario, mode, seed, expected, found, verdict, reason), its campaigns (unexpected draws first),
 * then a table of counts. Pure: the same input gives the same text.
 */
export function renderSummaryMarkdown(input: SummaryInput, options: SummaryOptions = {}): string {
  const shown = options.passingRowsShown ?? DEFAULT_PASSING_ROWS_SHOWN
  const link = reportLinker(options.baseUrl)
  const systems = [...new Set([...input.matrices.map((m) => m.system), ...input.campaigns.map((c) => c.system)])]
  systems.sort()
  const counts = systems.map((system) => countsOf(system, input))
  const failed = counts.reduce((n, c) => n + c.failed, 0)
  const errors = counts.reduce((n, c) => n + c.errors, 0)
  const unexpected = counts.reduce((n, c) => n + c.unexpected, 0)
  const headline =
    systems.length === 0
      ? 'no matrix or campaign records in the stores'
      : failed + errors + unexpected === 0
        ? 'every row passed, no unexpected draw'
        : [
            ...(failed > 0 ? [plural(failed, 'failed row')] : []),
            ...(errors > 0 ? [plural(errors, 'row that could not run', 'rows that could not run')] : []),
            ...(unexpected > 0 ? [plural(unexpected, 'unexpected draw')] : []),
          ].join(', ')
  const sections = systems.flatMap((system) => {
    const matrix = input.matrices.find((m) => m.system === system)
    const campaigns = input.campaigns.filter((c) => c.system === system)
    return [
      `### ${markdownCell(system)}`,
      ...matrixSection(matrix, shown, link),
      ...campaignSection(campaigns, shown, link),
    ]
  })
  const countsTable =
    systems.length === 0
      ? []
      : [
          '### Counts',
          markdownTable(
            ['system', 'matrix rows', 'passed', 'failed', 'errors', 'campaign draws', 'unexpected'],
            counts.map((c) =>
              [c.system, c.rows, c.passed, c.failed, c.errors, c.draws, c.unexpected].map((v) =>
                markdownCell(String(v)),
              ),
            ),
          ),
        ]
  return `${[`## semisync-chaos: ${headline}`, ...sections, ...countsTable].join('\n\n')}\n`
}

/** The run's report as a link to the published site, or the text alone. */
function reportLinker(baseUrl: string | undefined): (text: string, runDir: string | null) => string {
  if (baseUrl === undefined || baseUrl === '') return (text) => markdownCell(text)
  const base = baseUrl.replace(/\/+$/, '')
  return (text, runDir) =>
    runDir === null
      ? markdownCell(text)
      : markdownLink(text, `${base}/${runDir.split('/').map(encodeURIComponent).join('/')}/report.html`)
}

type Linker = ReturnType<typeof reportLinker>

/** Failures and errors first (in their order), then up to `shown` passing rows; how many passing rows were left out. */
function worstFirst<T extends MatrixRow>(rows: readonly T[], shown: number): { listed: T[]; left: number } {
  const ordered = rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => RANK[verdictOf(a.row)] - RANK[verdictOf(b.row)] || a.i - b.i)
  const notPassing = ordered.filter(({ row }) => !row.pass).length
  const listed = ordered.slice(0, notPassing + shown).map(({ row }) => row)
  return { listed, left: rows.length - listed.length }
}

const ROW_HEADERS = ['scenario', 'mode', 'seed', 'expected', 'found', 'verdict', 'reason']

function rowCells(row: MatrixRow, link: Linker, verdict: string = verdictOf(row)): string[] {
  return [
    link(row.scenario, row.runDir),
    markdownCell(row.waitPoint),
    markdownCell(String(row.seed)),
    markdownCell(kinds(row.expected)),
    markdownCell(kinds(row.found)),
    row.pass ? verdict : `**${verdict}**`,
    markdownCell(row.error ?? row.reason ?? ''),
  ]
}

function matrixSection(matrix: MatrixColumn | undefined, shown: number, link: Linker): string[] {
  if (matrix === undefined) return []
  const { passed, failed, errors } = tally(matrix.rows)
  const from = matrix.stores.length > 1 ? ` from ${matrix.stores.length} stores` : ''
  const { listed, left } = worstFirst(matrix.rows, shown)
  return [
    `Matrix (${markdownCell(matrix.startedAt)}${from}): ${plural(matrix.rows.length, 'row')}, ${passed} passed, ` +
      `${failed} failed, ${plural(errors, 'error')}.`,
    ...(listed.length > 0
      ? [
          markdownTable(
            ROW_HEADERS,
            listed.map((row) => rowCells(row, link)),
          ),
        ]
      : []),
    ...(left > 0 ? [`…and ${plural(left, 'more passing row')}.`] : []),
  ]
}

function campaignSection(campaigns: readonly CampaignListing[], shown: number, link: Linker): string[] {
  if (campaigns.length === 0) return []
  const draws = campaigns.flatMap((c) => c.rows.map((row) => ({ ...row, campaign: c })))
  const unexpected = draws.filter((row) => !row.pass).length
  const { listed, left } = worstFirst(draws, shown)
  return [
    `Campaigns: ${plural(campaigns.length, 'record')}, ${plural(draws.length, 'draw')}, ${unexpected} unexpected.`,
    markdownTable(
      ['store', 'shard', 'seed', 'budget', 'wall s', 'draws', 'unexpected', 'state'],
      campaigns.map((c) =>
        [
          c.store,
          c.shard ?? 'all',
          String(c.seed),
          budgetText(c.timeBudgetS),
          c.wallSeconds.toFixed(0),
          String(c.rows.length),
          String(c.unexpected.length),
          c.complete ? 'complete' : 'incomplete',
        ].map(markdownCell),
      ),
    ),
    ...(listed.length > 0
      ? [
          markdownTable(
            ['shard', 'draw', ...ROW_HEADERS],
            listed.map((row) => [
              markdownCell(row.campaign.shard ?? 'all'),
              markdownCell(String(row.draw)),
              ...rowCells(row, link, row.pass ? 'as expected' : row.error !== undefined ? 'ERROR' : 'UNEXPECTED'),
            ]),
          ),
        ]
      : []),
    ...(left > 0 ? [`…and ${plural(left, 'more draw')} as expected.`] : []),
  ]
}

function tally(rows: readonly MatrixRow[]): { passed: number; failed: number; errors: number } {
  const verdicts = rows.map(verdictOf)
  return {
    passed: verdicts.filter((v) => v === 'PASS').length,
    failed: verdicts.filter((v) => v === 'FAIL').length,
    errors: verdicts.filter((v) => v === 'ERROR').length,
  }
}

interface SystemCounts {
  system: string
  rows: number
  passed: number
  failed: number
  errors: number
  draws: number
  unexpected: number
}

function countsOf(system: string, input: SummaryInput): SystemCounts {
  const rows = input.matrices.find((m) => m.system === system)?.rows ?? []
  const campaigns = input.campaigns.filter((c) => c.system === system)
  return {
    system,
    rows: rows.length,
    ...tally(rows),
    draws: campaigns.reduce((n, c) => n + c.rows.length, 0),
    unexpected: campaigns.reduce((n, c) => n + c.unexpected.length, 0),
  }
}
