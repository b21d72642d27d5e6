import { URLSearchParams } from 'node:url';
import { mulberry32 } from './_prng.mjs';
import { MODELS, SPAN_MS, START_MS } from './decision-event.mjs';
import { measureLatency } from './latency.mjs';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 100;

/**
 * Latency of the first page of a filtered listing (one model version, one random day, newest
 * first) over HTTP, beside the same query on the bare store in-process. The first `verify`
 * windows are checked to return the same page both ways.
 */
export async function queryPhase({ client, bare, warmup, samples, verify = 20, seed = 11 }) {
  const rng = mulberry32(seed);
  const pick = (list) => list[Math.floor(rng() * list.length)];
  const windows = Array.from({ length: warmup + samples }, () => {
    const model = pick(MODELS);
    const fromMs = START_MS + Math.floor(rng() * (SPAN_MS / DAY_MS)) * DAY_MS;
    return {
      model: { name: model.name, version: pick(model.versions) },
      fromMs,
      toMs: fromMs + DAY_MS,
    };
  });
  const path = ({ model, fromMs, toMs }) =>
    `/v1/decisions?${new URLSearchParams({
      model: model.name,
      model_version: model.version,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      limit: String(PAGE),
    })}`;
  const paths = windows.map(path);
  const barePage = ({ model, fromMs, toMs }) => bare.page(model, fromMs, toMs, PAGE);
  return measureLatency(
    {
      http: {
        call: (i) => client.get(paths[i]),
        check: async (response, i) => {
          if (response.status !== 200) {
            throw new Error(
              `GET ${paths[i]} answered ${response.status}: ${response.text.slice(0, 300)}`,
            );
          }
          if (i < verify) {
            checkSamePage(JSON.parse(response.text).items, await barePage(windows[i]), paths[i]);
          }
        },
      },
      sql: { call: (i) => barePage(windows[i]) },
    },
    { warmup, samples },
  );
}

/** Same times in the same order (ids may differ only where two decisions share a millisecond). */
function checkSamePage(items, bareBodies, what) {
  const times = (list) => list.map((event) => Date.parse(event.occurred_at)).join(',');
  const bareEvents = bareBodies.map((body) => JSON.parse(body));
  if (times(items) !== times(bareEvents)) {
    throw new Error(
      `${what}: ${items.length} items, bare store has ${bareEvents.length} (or different ones)`,
    );
  }
}
