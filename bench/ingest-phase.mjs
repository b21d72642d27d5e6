import { ownCpuSeconds, serverCpuSeconds } from './process-cpu.mjs';
import { requestBodies } from './request-bodies.mjs';

/**
 * Loads `count` decisions into the server (`concurrency` requests in flight; with several
 * clients, one per server, the requests take turns among them) and into the bare store, chunk
 * by chunk: each chunk of request bodies is generated and serialised untimed, sent
 * to the server (timed), then parsed and inserted by the bare store (timed). Responses are
 * checked after their chunk's timer stops. Each chunk's rates are kept, to show how ingest
 * changes as the databases grow. With `serverPid`, the CPU time the server (every thread of
 * it) spends on the HTTP part is summed too, beside the bench process's own on the bare part:
 * on a machine whose speed wanders, CPU per event moves less than events per second.
 */
export async function ingestPhase({
  client,
  bare,
  count,
  batchSize,
  chunkBatches,
  concurrency,
  serverPid,
  serverThreads,
  onProgress,
}) {
  const totalBatches = Math.ceil(count / batchSize);
  let httpNs = 0n;
  let bareNs = 0n;
  let serverCpu = serverPid === undefined ? null : 0;
  /** Server CPU seconds over the HTTP part, by thread. */
  const threadCpu = {};
  let bareCpu = 0;
  let done = 0;
  const chunks = [];
  for (let first = 0; first < totalBatches; first += chunkBatches) {
    const bodies = requestBodies({ first, batches: chunkBatches, batchSize, count });

    const serverCpuBefore = serverCpu === null ? null : serverCpuSeconds(serverPid, serverThreads);
    let start = process.hrtime.bigint();
    const responses = await postAll(client, bodies, concurrency);
    const chunkHttpNs = process.hrtime.bigint() - start;
    const serverCpuAfter =
      serverCpuBefore === null ? null : serverCpuSeconds(serverPid, serverThreads);
    serverCpu =
      serverCpuBefore === null || serverCpuAfter === null
        ? null
        : serverCpu + serverCpuAfter.total - serverCpuBefore.total;
    if (serverCpuBefore !== null && serverCpuAfter !== null) {
      for (const [name, seconds] of Object.entries(serverCpuAfter.byThread)) {
        threadCpu[name] = (threadCpu[name] ?? 0) + seconds - (serverCpuBefore.byThread[name] ?? 0);
      }
    }
    responses.forEach((response, i) => checkIngest(response, bodies[i].events, first + i));

    const bareCpuBefore = ownCpuSeconds();
    start = process.hrtime.bigint();
    for (const body of bodies) await bare.ingest(body.text);
    const chunkBareNs = process.hrtime.bigint() - start;
    bareCpu += ownCpuSeconds() - bareCpuBefore;

    const events = bodies.reduce((sum, body) => sum + body.events, 0);
    httpNs += chunkHttpNs;
    bareNs += chunkBareNs;
    done += events;
    chunks.push({
      upTo: done,
      httpEventsPerSecond: events / (Number(chunkHttpNs) / 1e9),
      bareEventsPerSecond: events / (Number(chunkBareNs) / 1e9),
    });
    onProgress?.(chunks.at(-1), count);
  }
  const httpSeconds = Number(httpNs) / 1e9;
  const bareSeconds = Number(bareNs) / 1e9;
  return {
    events: done,
    batches: totalBatches,
    httpSeconds,
    bareSeconds,
    httpEventsPerSecond: done / httpSeconds,
    bareEventsPerSecond: done / bareSeconds,
    /** Server CPU seconds per event over the HTTP part, or null without /proc. */
    serverCpuPerEvent: serverCpu === null ? null : serverCpu / done,
    /** The same by thread (serving, writer, other), seconds per event. */
    serverCpuPerEventByThread: Object.fromEntries(
      Object.entries(threadCpu).map(([name, seconds]) => [name, seconds / done]),
    ),
    bareCpuPerEvent: bareCpu / done,
    chunks,
  };
}

/** Posts every body, keeping `concurrency` requests in flight; responses in body order. */
async function postAll(client, bodies, concurrency) {
  const clients = Array.isArray(client) ? client : [client];
  const responses = new Array(bodies.length);
  let next = 0;
  const worker = async (w) => {
    while (next < bodies.length) {
      const i = next;
      next += 1;
      responses[i] = await clients[w % clients.length].post('/v1/events', bodies[i].text);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return responses;
}

function checkIngest(response, expected, batch) {
  if (response.status !== 200) {
    throw new Error(
      `batch ${batch}: POST /v1/events answered ${response.status}: ${response.text.slice(0, 500)}`,
    );
  }
  const { results } = JSON.parse(response.text);
  const created = results.filter((r) => r.status === 'created').length;
  if (results.length !== expected || created !== expected) {
    throw new Error(`batch ${batch}: ${created} of ${expected} events created`);
  }
}
