/// <reference lib="dom" />
import type { ReportData } from './report-data.js'

/**
 * The page's own script: draws the charts and the operation timeline from the embedded data. It runs in the browser,
 * inlined as source (`drawReport.toString()`), so it must stay self-contained: everything it uses is declared inside
 * it, except `uPlot` (the inlined chart library) and the DOM.
 */
export function drawReport(data: ReportData, uPlot: UPlotConstructor): void {
  const TYPE_COLOURS = ['#1b7a3a', '#c77c02', '#b3261e', '#7a4cc2']
  const BAND_COLOURS: Record<string, string> = {
    kill: 'rgba(179, 38, 30, 0.13)',
    pause: 'rgba(199, 124, 2, 0.14)',
    partition: 'rgba(59, 111, 196, 0.13)',
    latency: 'rgba(122, 76, 194, 0.12)',
    applier: 'rgba(0, 128, 128, 0.12)',
    load: 'rgba(90, 90, 90, 0.10)',
  }
  const NODE_COLOURS = ['#3b6fc4', '#b3261e', '#1b7a3a', '#c77c02', '#7a4cc2', '#008080', '#6b6b6b']
  const byId = (id: string): HTMLElement => {
    const el = document.getElementById(id)
    if (!el) throw new Error(`the page has no #${id}`)
    return el
  }
  const width = (): number => Math.max(480, Math.min(1400, document.body.clientWidth - 16))
  const charts: UPlotChart[] = []
  let view: [number, number] = [0, Math.max(data.endS, 0.001)]
  // Charts fire scale hooks while they are built, before the timeline below exists.
  let timelineReady = false

  /** Nemesis bands behind every time chart, failovers as dashed lines. */
  const nemesisPlugin = {
    hooks: {
      drawClear: (u: UPlotChart): void => {
        const ctx = u.ctx
        const { top, height } = u.bbox
        ctx.save()
        for (const band of data.bands) {
          const x0 = u.valToPos(band.start, 'x', true)
          const x1 = u.valToPos(band.end, 'x', true)
          ctx.fillStyle = BAND_COLOURS[band.kind] ?? 'rgba(0,0,0,0.08)'
          ctx.fillRect(x0, top, Math.max(1, x1 - x0), height)
        }
        ctx.restore()
      },
      draw: (u: UPlotChart): void => {
        const ctx = u.ctx
        const { top, height } = u.bbox
        ctx.save()
        ctx.strokeStyle = '#b3261e'
        ctx.setLineDash([5, 4])
        ctx.lineWidth = 1.5
        for (const f of data.failovers) {
          const x = u.valToPos(f.time, 'x', true)
          ctx.beginPath()
          ctx.moveTo(x, top)
          ctx.lineTo(x, top + height)
          ctx.stroke()
        }
        ctx.restore()
      },
    },
  }

  /** Zooming one time chart (drag to select) zooms them all and the timeline; double-click resets. */
  const syncPlugin = {
    hooks: {
      setScale: (u: UPlotChart, key: string): void => {
        if (key !== 'x') return
        const min = u.scales.x?.min ?? 0
        const max = u.scales.x?.max ?? data.endS
        if (min === view[0] && max === view[1]) return
        view = [min, max]
        for (const other of charts) if (other !== u) other.setScale('x', { min, max })
        drawTimeline()
      },
    },
  }

  const timeChart = (
    target: string,
    title: string,
    series: Array<Record<string, unknown>>,
    columns: Array<ArrayLike<number | null>>,
    y: Record<string, unknown> = {},
  ): void => {
    const el = byId(target)
    const chart = new uPlot(
      {
        title,
        width: width(),
        height: 220,
        plugins: [nemesisPlugin, syncPlugin],
        scales: { x: { time: false }, y },
        axes: [{ label: 'seconds' }, {}],
        cursor: { drag: { x: true, y: false } },
        series: [{ label: 's' }, ...series],
      },
      columns,
      el,
    )
    chart.setScale('x', { min: view[0], max: view[1] })
    charts.push(chart)
  }

  // ---- latency: every operation, by outcome, log scale ----
  const n = data.ops.start.length
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (data.ops.start[a] ?? 0) - (data.ops.start[b] ?? 0),
  )
  const xs = order.map((i) => data.ops.start[i] ?? 0)
  const byType = [0, 1, 2, 3].map((t) =>
    order.map((i) => (data.ops.type[i] === t ? Math.max(0.01, data.ops.latencyMs[i] ?? 0) : null)),
  )
  const dots = (label: string, colour: string): Record<string, unknown> => ({
    label,
    stroke: colour,
    fill: colour,
    paths: () => null,
    points: { show: true, size: 3, width: 0, fill: colour, stroke: colour },
  })
  timeChart(
    'latency-chart',
    'Latency (ms, log scale) of every client operation by invocation time',
    [
      dots('ok', TYPE_COLOURS[0] as string),
      dots('fail', TYPE_COLOURS[1] as string),
      dots('info', TYPE_COLOURS[2] as string),
      dots('pending', TYPE_COLOURS[3] as string),
    ],
    [xs, ...byType],
    { distr: 3 },
  )

  // ---- throughput ----
  const steps = uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined
  const line = (label: string, colour: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    label,
    stroke: colour,
    width: 1.5,
    ...(steps ? { paths: steps } : {}),
    ...extra,
  })
  timeChart(
    'throughput-chart',
    `Completions per second (${data.throughput.bucketS} s buckets)`,
    [
      line('ok', TYPE_COLOURS[0] as string),
      line('fail', TYPE_COLOURS[1] as string),
      line('info', TYPE_COLOURS[2] as string),
    ],
    [data.throughput.start, data.throughput.ok, data.throughput.fail, data.throughput.info],
  )

  // ---- semi-sync status and positions, per node, on the status monitor's own times ----
  const nodes = Object.keys(data.status).sort()
  const times = [...new Set(nodes.flatMap((node) => data.status[node]?.time ?? []))].sort((a, b) => a - b)
  const column = (node: string, field: keyof ReportData['status'][string]): Array<number | null> => {
    const series = data.status[node]
    const at = new Map<number, number | null>()
    if (series) series.time.forEach((t, i) => at.set(t, (series[field] as Array<number | null>)[i] ?? null))
    return times.map((t) => (at.has(t) ? (at.get(t) ?? null) : null))
  }
  const perNode = (
    target: string,
    title: string,
    fields: Array<[keyof ReportData['status'][string], string]>,
    y: Record<string, unknown> = {},
  ): void => {
    const series: Array<Record<string, unknown>> = []
    const columns: Array<Array<number | null>> = [times]
    nodes.forEach((node, i) => {
      for (const [field, name] of fields) {
        const values = column(node, field)
        if (values.every((v) => v === null)) continue
        const colour = NODE_COLOURS[i % NODE_COLOURS.length] as string
        series.push(line(`${node} ${name}`, colour, name.includes('applied') ? { dash: [4, 3] } : {}))
        columns.push(values)
      }
    })
    if (series.length === 0) {
      byId(target).textContent = `${title}: no readings.`
      return
    }
    timeChart(target, title, series, columns, y)
  }
  perNode('status-chart', 'Primary semi-sync status (1 = ON, 0 = OFF)', [['on', 'status']], { range: [-0.1, 1.1] })
  perNode('waiting-chart', 'Primary: sessions waiting for an ack, connected semi-sync replicas', [
    ['waitSessions', 'waiting'],
    ['clients', 'replicas'],
  ])
  perNode('tx-chart', 'Commits acked by a replica (yes_tx) and released without (no_tx)', [
    ['yesTx', 'yes_tx'],
    ['noTx', 'no_tx'],
  ])
  perNode('positions-chart', "Positions: the primary's binlog, each replica's received and applied", [
    ['binlogSeq', 'binlog'],
    ['receivedSeq', 'received'],
    ['appliedSeq', 'applied'],
  ])

  // ---- timeline: one row per process, drawn on a canvas for the visible rows and time window only ----
  const ROW = 9
  const processes = [...new Set(data.ops.process)].sort((a, b) => a - b)
  const rowOf = new Map(processes.map((p, i) => [p, i]))
  const opsByRow: number[][] = processes.map(() => [])
  for (const i of order) opsByRow[rowOf.get(data.ops.process[i] ?? 0) ?? 0]?.push(i)
  const scroller = byId('timeline')
  const canvas = document.createElement('canvas')
  const spacer = document.createElement('div')
  const tip = byId('timeline-tip')
  scroller.append(canvas, spacer)
  spacer.style.height = `${processes.length * ROW}px`
  canvas.style.position = 'sticky'
  canvas.style.top = '0'
  canvas.style.display = 'block'
  const viewHeight = (): number => Math.min(480, Math.max(ROW, processes.length * ROW))
  scroller.style.height = `${viewHeight()}px`
  spacer.style.marginTop = `-${viewHeight()}px`
  const LABEL = 56
  function drawTimeline(): void {
    if (!timelineReady) return
    const w = width()
    const h = viewHeight()
    const ratio = globalThis.devicePixelRatio || 1
    canvas.width = Math.round(w * ratio)
    canvas.height = Math.round(h * ratio)
    canvas.style.width = `${w}px`
    canvas.style.height = `${h}px`
    const ctx = canvas.getContext('2d')
    if (!ctx) return
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0)
    ctx.clearRect(0, 0, w, h)
    const [t0, t1] = view
    const span = Math.max(t1 - t0, 1e-9)
    const x = (t: number): number => LABEL + ((t - t0) / span) * (w - LABEL)
    for (const band of data.bands) {
      if (band.end < t0 || band.start > t1) continue
      ctx.fillStyle = BAND_COLOURS[band.kind] ?? 'rgba(0,0,0,0.08)'
      ctx.fillRect(x(band.start), 0, Math.max(1, x(band.end) - x(band.start)), h)
    }
    const first = Math.floor(scroller.scrollTop / ROW)
    const last = Math.min(processes.length - 1, Math.ceil((scroller.scrollTop + h) / ROW))
    ctx.font = '9px ui-monospace, monospace'
    for (let row = first; row <= last; row++) {
      const y = row * ROW - scroller.scrollTop
      ctx.fillStyle = '#555'
      ctx.fillText(`p${processes[row]}`, 2, y + ROW - 1)
      for (const i of opsByRow[row] ?? []) {
        const start = data.ops.start[i] ?? 0
        const end = start + (data.ops.latencyMs[i] ?? 0) / 1000
        if (end < t0) continue
        if (start > t1) break
        ctx.fillStyle = TYPE_COLOURS[data.ops.type[i] ?? 0] ?? '#000'
        const x0 = Math.max(LABEL, x(start))
        ctx.fillRect(x0, y + 1, Math.max(1, Math.min(w, x(end)) - x0), ROW - 2)
      }
    }
    ctx.strokeStyle = '#b3261e'
    ctx.setLineDash([5, 4])
    for (const f of data.failovers) {
      if (f.time < t0 || f.time > t1) continue
      ctx.beginPath()
      ctx.moveTo(x(f.time), 0)
      ctx.lineTo(x(f.time), h)
      ctx.stroke()
    }
    ctx.setLineDash([])
  }
  scroller.addEventListener('scroll', () => drawTimeline())
  scroller.addEventListener('mousemove', (event) => {
    const rect = canvas.getBoundingClientRect()
    const px = event.clientX - rect.left
    const row = Math.floor((event.clientY - rect.top + scroller.scrollTop) / ROW)
    const [t0, t1] = view
    const t = t0 + ((px - LABEL) / Math.max(1, rect.width - LABEL)) * (t1 - t0)
    const hit = (opsByRow[row] ?? []).find((i) => {
      const start = data.ops.start[i] ?? 0
      return start <= t && t <= start + Math.max((data.ops.latencyMs[i] ?? 0) / 1000, (t1 - t0) / 500)
    })
    if (hit === undefined) {
      tip.textContent = 'Hover an operation to see it; drag across a chart above to zoom, double-click to reset.'
      return
    }
    const node = data.ops.node[hit] ?? -1
    tip.textContent =
      `process ${data.ops.process[hit]}: ${data.fs[data.ops.f[hit] ?? 0]} ` +
      `${['ok', 'fail', 'info', 'pending'][data.ops.type[hit] ?? 0]}` +
      `${node >= 0 ? ` on ${data.nodes[node]}` : ''}${data.ops.final[hit] ? ' (final read)' : ''}, ` +
      `invoked at ${(data.ops.start[hit] ?? 0).toFixed(6)} s, took ${(data.ops.latencyMs[hit] ?? 0).toFixed(2)} ms`
  })
  timelineReady = true
  drawTimeline()
  document.body.dataset.drawn = String(charts.length)
}

/** The parts of uPlot the page uses (the library itself is inlined from the `uplot` package). */
export interface UPlotChart {
  ctx: CanvasRenderingContext2D
  bbox: { top: number; left: number; width: number; height: number }
  scales: Record<string, { min?: number; max?: number } | undefined>
  valToPos(value: number, scale: string, canvasPixels?: boolean): number
  setScale(scale: string, limits: { min: number; max: number }): void
}

export interface UPlotConstructor {
  new (options: Record<string, unknown>, data: Array<ArrayLike<number | null>>, target: HTMLElement): UPlotChart
  paths: { stepped?: (options: { align: number }) => unknown }
}
