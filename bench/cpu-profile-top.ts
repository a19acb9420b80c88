/**
 * Prints the top self-time functions of a V8 CPU profile (from `node --cpu-prof`), as a Markdown table.
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof dist/harness/cli/bin.js run … --results-dir /tmp/res
 *   node --import tsx bench/cpu-profile-top.ts /tmp/prof/CPU.*.cpuprofile [--top 20]
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const ROOT = fileURLToPath(new URL('..', import.meta.url))

function where(frame: CallFrame): string {
  if (!frame.url) return ''
  const path = frame.url.startsWith('file://') ? relative(ROOT, fileURLToPath(frame.url)) : frame.url
  return `${path}:${frame.lineNumber + 1}`
}

const args = process.argv.slice(2)
const topAt = args.indexOf('--top')
const top = topAt >= 0 ? Number(args[topAt + 1]) : 20
const file = args.find((a, i) => !a.startsWith('--') && i !== topAt + 1)
if (!file) {
  process.stderr.write('usage: cpu-profile-top.ts <file.cpuprofile> [--top n]\n')
  process.exit(1)
}

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const selfUs = new Map<string, number>()
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]!)
  if (!node) continue
  const name = node.callFrame.functionName || '(anonymous)'
  const key = `${name}\t${where(node.callFrame)}`
  selfUs.set(key, (selfUs.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0))
}
/** Self time by area: the repo's top-level folder, a package under node_modules, Node's internals, or V8's pseudo-frames. */
function area(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)'
  if (frame.url.startsWith('node:')) return 'node: internals'
  const path = frame.url.startsWith('file://') ? relative(ROOT, fileURLToPath(frame.url)) : frame.url
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (pkg) return `node_modules/${pkg[1]}`
  const parts = path.split('/')
  return parts[0] === 'dist' ? `${parts[1]}/` : `${parts[0]}/`
}
const byArea = new Map<string, number>()
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]!)
  if (!node) continue
  const key = area(node.callFrame)
  byArea.set(key, (byArea.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0))
}
const totalUs = profile.endTime - profile.startTime
const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
process.stdout.write(`profile ${file}: ${(totalUs / 1e6).toFixed(2)} s\n\n`)
process.stdout.write('| area | self ms | self % |\n| --- | ---: | ---: |\n')
for (const [key, us] of [...byArea.entries()].sort((a, b) => b[1] - a[1])) {
  process.stdout.write(`| ${key} | ${(us / 1000).toFixed(0)} | ${((100 * us) / totalUs).toFixed(1)} |\n`)
}
process.stdout.write('\n| self ms | self % | function | where |\n| ---: | ---: | --- | --- |\n')
for (const [key, us] of rows) {
  const [name, at] = key.split('\t')
  process.stdout.write(
    `| ${(us / 1000).toFixed(0)} | ${((100 * us) / totalUs).toFixed(1)} | \`${name}\` | ${at ? `\`${at}\`` : ''} |\n`,
  )
}
