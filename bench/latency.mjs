/**
 * Measures several operations side by side: for each call number, runs every probe once, in
 * turn, so that a figure and its baselines meet the same interference from the machine. The
 * first `warmup` rounds are untimed. A probe is `{ call, check }`: `call(i)` does the work and
 * is timed; `check(result, i)` runs after the timer stops and throws if the result is wrong.
 *
 * @returns for each probe name, the p50 and p99 latency in milliseconds
 * @example await measureLatency({ sql: { call: (i) => lookup(ids[i]) } }, { warmup: 10, samples: 100 })
 */
export async function measureLatency(probes, { warmup, samples }) {
  const entries = Object.entries(probes);
  const times = entries.map(() => new Float64Array(samples));
  for (let i = 0; i < warmup + samples; i += 1) {
    for (const [p, [, probe]] of entries.entries()) {
      const start = process.hrtime.bigint();
      const result = await probe.call(i);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (i >= warmup) times[p][i - warmup] = ms;
      await probe.check?.(result, i);
    }
  }
  return Object.fromEntries(entries.map(([name], p) => [name, summarize(times[p].sort())]));
}

/** The nearest-rank percentile `p` (0-100) of ascending `sorted` values. */
export function percentile(sorted, p) {
  if (sorted.length === 0) throw new Error('no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function summarize(sorted) {
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
}
