import { mulberry32 } from './_prng.mjs';
import { decisionId } from './decision-event.mjs';
import { measureLatency } from './latency.mjs';

/**
 * Latency of reading one decision by id: `GET /v1/decisions/{id}` beside two baselines, the
 * `GET /healthz` round trip (the transport floor) and the bare store's in-process lookup of the
 * same random ids.
 */
export async function readPhase({ client, bare, count, warmup, samples, seed = 7 }) {
  const rng = mulberry32(seed);
  const ids = Array.from({ length: warmup + samples }, () =>
    decisionId(Math.floor(rng() * count), count),
  );
  return measureLatency(
    {
      http: {
        call: (i) => client.get(`/v1/decisions/${ids[i]}`),
        check: (response, i) => {
          if (response.status !== 200 || JSON.parse(response.text).decision.id !== ids[i]) {
            throw new Error(
              `GET /v1/decisions/${ids[i]} answered ${response.status}: ${response.text.slice(0, 300)}`,
            );
          }
        },
      },
      healthz: {
        call: () => client.get('/healthz'),
        check: (response) => {
          if (response.status !== 200) throw new Error(`GET /healthz answered ${response.status}`);
        },
      },
      sql: {
        call: (i) => bare.bodyById(ids[i]),
        check: (body, i) => {
          if (body === undefined) throw new Error(`the bare store has no ${ids[i]}`);
        },
      },
    },
    { warmup, samples },
  );
}
