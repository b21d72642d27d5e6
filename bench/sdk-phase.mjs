// The producer SDK's figures: what log.decision() costs the caller, the longest event-loop
// stall while batches are sent, and end-to-end throughput from the SDK to a local server,
// each beside a baseline measured in the same run.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import { createDecisionLog } from '@declog/sdk';
import { decisionEvent } from './decision-event.mjs';
import { percentile } from './latency.mjs';
import { BENCH_ADMIN_KEY } from './server-process.mjs';

/** Distinct inputs the calls cycle through, as a caller would pass them (no id, no time). */
function callInputs(count) {
  return Array.from({ length: count }, (_, i) => {
    const {
      id: _id,
      type: _type,
      occurred_at: _at,
      subject: _subject,
      ...input
    } = decisionEvent(i, count);
    return input;
  });
}

/**
 * A fetch that answers every batch as stored, without a server: the caller-side cost is the
 * SDK's own, whatever the server's speed.
 */
function acceptingFetch() {
  return async (_url, init) => {
    const count = String(init.body).split('\n').length;
    const results = Array.from({ length: count }, (_, seq) => ({
      id: 'x',
      seq,
      status: 'created',
    }));
    return new globalThis.Response(JSON.stringify({ results }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/**
 * `calls` calls of log.decision(), each timed, interleaved call by call with the baseline:
 * building the same event object and JSON.stringify-ing it. The loop yields to the event loop
 * every 500 calls so that batches are cut and sent meanwhile, as in a service.
 */
async function callerCost(calls, inputs) {
  const log = createDecisionLog({
    url: 'http://127.0.0.1:9',
    apiKey: 'bench',
    fetch: acceptingFetch(),
    opentelemetry: false,
  });
  const sdk = new Float64Array(calls);
  const baseline = new Float64Array(calls);
  let sink = 0;
  for (let i = 0; i < calls; i += 1) {
    const input = inputs[i % inputs.length];
    let start = process.hrtime.bigint();
    const id = log.decision(input);
    sdk[i] = Number(process.hrtime.bigint() - start) / 1000;
    start = process.hrtime.bigint();
    const text = JSON.stringify({
      ...input,
      id: id,
      type: 'decision',
      occurred_at: new Date().toISOString(),
    });
    baseline[i] = Number(process.hrtime.bigint() - start) / 1000;
    sink += text.length;
    if (i % 500 === 499) await yieldToLoop();
  }
  await log.close();
  const stats = log.stats();
  if (stats.sent !== calls || sink === 0) {
    throw new Error(
      `the SDK acknowledged ${stats.sent} of ${calls} calls: ${JSON.stringify(stats)}`,
    );
  }
  sdk.sort();
  baseline.sort();
  return {
    calls,
    sdk: { p50: percentile(sdk, 50), p99: percentile(sdk, 99), max: sdk[calls - 1] },
    baseline: { p50: percentile(baseline, 50), p99: percentile(baseline, 99) },
  };
}

/** Event loop delay, in milliseconds, while `work` runs. */
async function withLoopDelay(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const result = await work();
  histogram.disable();
  return { result, maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 };
}

async function postEvents(url, body) {
  const response = await globalThis.fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${BENCH_ADMIN_KEY}`,
      'content-type': 'application/x-ndjson',
    },
    body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${text}`);
}

/**
 * End to end against the server at `url`. The loop's longest stall is measured while a queue
 * of 20,000 events is flushed (nothing else runs), beside the same measure while this process
 * posts pre-encoded batches itself, and while it sleeps (the machine's own noise: on a shared
 * machine a busy process is descheduled for milliseconds at a time, which no code can avoid).
 * Throughput: `events` decisions logged with the SDK as fast as its
 * queue takes them (the producer waits while more than 5,000 are queued), timed from the first
 * call until close() has delivered the last. The baseline posts the same number of
 * decisions, pre-encoded as NDJSON in batches of the SDK's size, one request at a time, from
 * this process: the server's HTTP ingest rate without the SDK.
 */
async function endToEnd(url, events, inputs) {
  const log = createDecisionLog({ url, apiKey: BENCH_ADMIN_KEY, opentelemetry: false });
  const timed = await withLoopDelay(async () => {
    const start = performance.now();
    for (let i = 0; i < events; i += 1) {
      log.decision(inputs[i % inputs.length]);
      if (i % 100 === 99) {
        await yieldToLoop();
        while (log.stats().queued > 5000) await sleep(1);
      }
    }
    await log.close();
    return performance.now() - start;
  });
  const stats = log.stats();
  if (stats.sent !== events) throw new Error(`the SDK delivered ${stats.sent} of ${events}`);

  // The stall while only the SDK works: a queue of 20,000 events flushed, nothing else running.
  const flushLog = createDecisionLog({
    url,
    apiKey: BENCH_ADMIN_KEY,
    opentelemetry: false,
    maxQueueEvents: 1_000_000,
  });
  for (let i = 0; i < 20_000; i += 1) flushLog.decision(inputs[i % inputs.length]);
  const flushing = await withLoopDelay(async () => {
    const start = performance.now();
    await flushLog.close();
    return performance.now() - start;
  });
  // The same time doing nothing: what the machine itself adds to the loop's delay.
  const idle = await withLoopDelay(() => sleep(flushing.result));

  const batches = [];
  for (let i = 0; i < events; i += 500) {
    const lines = [];
    for (let j = i; j < Math.min(events, i + 500); j += 1) {
      const { id: _id, ...event } = decisionEvent(j, events, 7);
      lines.push(JSON.stringify({ ...event, subject: undefined }));
    }
    batches.push(lines.join('\n'));
  }
  // The same requests without the SDK, under the same loop monitor: what fetch itself costs.
  const raw = await withLoopDelay(async () => {
    const start = performance.now();
    for (const body of batches) await postEvents(url, body);
    return performance.now() - start;
  });
  const rawMs = raw.result;
  return {
    events,
    sdkEventsPerSecond: events / (timed.result / 1000),
    rawEventsPerSecond: events / (rawMs / 1000),
    producingLoopMaxMs: timed.maxMs,
    flushStallMaxMs: flushing.maxMs,
    flushStallP99Ms: flushing.p99Ms,
    idleStallMaxMs: idle.maxMs,
    rawStallMaxMs: raw.maxMs,
  };
}

/** Runs the SDK figures against the server at `url`. */
export async function sdkPhase({ url, calls, events, log }) {
  const inputs = callInputs(1000);
  log(`sdk: ${calls.toLocaleString('en-US')} timed calls of log.decision()`);
  const cost = await callerCost(calls, inputs);
  log(`sdk: ${events.toLocaleString('en-US')} decisions end to end`);
  const e2e = await endToEnd(url, events, inputs);
  return { cost, e2e };
}
