import { mulberry32 } from './_prng.mjs';
import { measureLatency } from './latency.mjs';

/**
 * Latency of the log's two proofs over HTTP at its full size S: an inclusion proof (`GET
 * /v1/log/proof/inclusion?seq=N&size=S` for random entries) and a consistency proof from a
 * random earlier size (`GET /v1/log/proof/consistency?from=A&to=S`), beside the `GET
 * /healthz` round trip, the transport floor.
 */
export async function proofPhase({ client, size, warmup, samples, seed = 11 }) {
  const rng = mulberry32(seed);
  const seqs = Array.from({ length: warmup + samples }, () => Math.floor(rng() * size));
  // From 1 to S - 1: a proof from the empty tree or to the same size has no hashes.
  const froms = Array.from({ length: warmup + samples }, () => 1 + Math.floor(rng() * (size - 1)));
  return measureLatency(
    {
      http: {
        call: (i) => client.get(`/v1/log/proof/inclusion?seq=${seqs[i]}&size=${size}`),
        check: (response, i) => {
          const body = response.status === 200 ? JSON.parse(response.text) : null;
          if (
            !body ||
            body.seq !== seqs[i] ||
            body.tree_size !== size ||
            body.hashes.length === 0
          ) {
            throw new Error(
              `inclusion proof of ${seqs[i]} answered ${response.status}: ${response.text.slice(0, 300)}`,
            );
          }
        },
      },
      consistency: {
        call: (i) => client.get(`/v1/log/proof/consistency?from=${froms[i]}&to=${size}`),
        check: (response, i) => {
          const body = response.status === 200 ? JSON.parse(response.text) : null;
          if (!body || body.from !== froms[i] || body.to !== size || body.hashes.length === 0) {
            throw new Error(
              `consistency proof from ${froms[i]} answered ${response.status}: ${response.text.slice(0, 300)}`,
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
    },
    { warmup, samples },
  );
}
