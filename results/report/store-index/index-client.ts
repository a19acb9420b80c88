/// <reference lib="dom" />
import type { IndexedRun } from './collect-runs.js'

/**
 * The index page's script: a table of runs that sorts by any column (click its header) and filters by text, by
 * verdict and, when the runs come from several stores, by store. Inlined as source (`drawIndex.toString()`), so it is
 * self-contained.
 */
export function drawIndex(runs: IndexedRun[]): void {
  const body = document.getElementById('runs-body')
  const text = document.getElementById('filter-text') as HTMLInputElement | null
  const verdict = document.getElementById('filter-verdict') as HTMLSelectElement | null
  const count = document.getElementById('shown')
  if (!body || !text || !verdict || !count) throw new Error('the index page lost its table or filters')
  // Only an index that merges stores has the store filter and column (the last one).
  const store = document.getElementById('filter-store') as HTMLSelectElement | null
  const withStore = runs.some((r) => r.store !== undefined)
  const columns: Array<[string, (r: IndexedRun) => string | number]> = [
    ['startedAt', (r) => r.startedAt],
    ['test', (r) => r.test],
    ['system', (r) => r.system],
    ['mode', (r) => r.mode],
    ['seed', (r) => r.seed ?? -1],
    ['valid', (r) => String(r.valid)],
    ['anomalies', (r) => Object.keys(r.anomalies).sort().join(' ')],
    ['clientOps', (r) => r.clientOps ?? -1],
    ['wallSeconds', (r) => r.wallSeconds ?? -1],
    ['store', (r) => r.store ?? ''],
  ]
  let sortBy = 0
  let descending = true
  const cell = (content: string, className = ''): HTMLTableCellElement => {
    const td = document.createElement('td')
    td.textContent = content
    if (className) td.className = className
    return td
  }
  const render = (): void => {
    const needle = text.value.trim().toLowerCase()
    const wanted = verdict.value
    const wantedStore = store?.value ?? 'all'
    const key = columns[sortBy]?.[1] ?? ((r: IndexedRun) => r.startedAt)
    const shown = runs
      .filter((r) => wanted === 'all' || String(r.valid) === wanted)
      .filter((r) => wantedStore === 'all' || r.store === wantedStore)
      .filter(
        (r) =>
          needle === '' ||
          [
            r.test,
            r.system,
            r.mode,
            String(r.seed),
            String(r.valid),
            ...Object.keys(r.anomalies),
            r.path,
            r.store ?? '',
          ]
            .join(' ')
            .toLowerCase()
            .includes(needle),
      )
      .sort((a, b) => {
        const x = key(a)
        const y = key(b)
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))
        return descending ? -order : order
      })
    body.replaceChildren(
      ...shown.map((r) => {
        const tr = document.createElement('tr')
        tr.dataset.valid = String(r.valid)
        const link = document.createElement('a')
        link.href = `${r.path}/${r.hasReport ? 'report.html' : 'results.json'}`
        link.textContent = r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') || r.runId
        const first = document.createElement('td')
        first.append(link)
        const kinds = Object.entries(r.anomalies)
          .map(([kind, n]) => `${kind} ×${n}`)
          .join(', ')
        tr.append(
          first,
          cell(r.test),
          cell(r.system),
          cell(r.mode),
          cell(r.seed === null ? '' : String(r.seed)),
          cell(
            `${r.valid === true ? 'valid' : r.valid === false ? 'INVALID' : 'unknown'}${r.interrupted ? ' (interrupted)' : ''}`,
            `v-${String(r.valid)}`,
          ),
          cell(kinds),
          cell(r.clientOps === null ? '' : String(r.clientOps), 'num'),
          cell(r.wallSeconds === null ? '' : r.wallSeconds.toFixed(1), 'num'),
        )
        if (withStore) tr.append(cell(r.store ?? ''))
        return tr
      }),
    )
    count.textContent = `${shown.length} of ${runs.length} runs`
  }
  document.querySelectorAll('th[data-column]').forEach((th) => {
    th.addEventListener('click', () => {
      const column = Number((th as HTMLElement).dataset.column)
      descending = column === sortBy ? !descending : true
      sortBy = column
      render()
    })
  })
  text.addEventListener('input', render)
  verdict.addEventListener('change', render)
  store?.addEventListener('change', render)
  render()
  document.body.dataset.drawn = 'index'
}
