// Loaded into the server under test with `node --import`: measures how late its event loop runs
// (perf_hooks.monitorEventLoopDelay) and writes the figures to BENCH_LOOP_DELAY_FILE when the
// process exits. SIGUSR2 starts the measurement afresh, so start-up and warm-up are left out.
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const file = process.env.BENCH_LOOP_DELAY_FILE
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  process.on('SIGUSR2', () => histogram.reset())
  process.on('exit', () => {
    const ms = (ns) => ns / 1e6
    writeFileSync(
      file,
      JSON.stringify({
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        mean: ms(histogram.mean),
      }),
    )
  })
}
