import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/** uPlot's browser build and stylesheet (MIT, from the `uplot` package), to inline into a self-contained page. */
export interface ChartAssets {
  script: string
  style: string
}

let cached: ChartAssets | null = null

export function chartAssets(): ChartAssets {
  if (cached) return cached
  const require = createRequire(import.meta.url)
  const read = (file: string): string => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8')
  cached = { script: read('uPlot.iife.min.js'), style: read('uPlot.min.css') }
  return cached
}
