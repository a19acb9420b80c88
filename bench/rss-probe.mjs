// Preloaded (`node --import`) into the CLI child processes that bench/simulator.bench.ts times: on exit it writes the
// process's peak resident set size (kB, from getrusage) to the file named by BENCH_RSS_OUT. It adds nothing else to
// the process. A process killed by a signal or by a fatal V8 error (heap out of memory) does not run exit handlers;
// the bench then falls back to the VmHWM it polled from /proc.
import { writeFileSync } from 'node:fs'

const out = process.env.BENCH_RSS_OUT
if (out) {
  process.on('exit', () => {
    try {
      writeFileSync(out, String(process.resourceUsage().maxRSS))
    } catch {
      // nothing to report to: the bench treats a missing file as "unknown"
    }
  })
}
