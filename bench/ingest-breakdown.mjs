// Where ingest time goes, in-process and without HTTP: each stage the server runs for a
// `POST /v1/events` batch, timed on its own over the bench's batches of 1,000 decisions.
// `npm run build && BENCH_DECISIONS=100000 node bench/ingest-breakdown.mjs` (default 100,000).
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { leafHash, prepareEvent, sealMembers, validateEvent } from '@declog/core';
import {
  sealWithKeys,
  subjectsToSeal,
} from '../packages/server/dist/services/privacy/seal-events.js';
import { requestBodies } from './request-bodies.mjs';
import { STORE_VARIANTS, openStoreVariant } from './store-variants.mjs';

const BATCH = 1000;
const CHUNK = 20;

const subjectKeys = new Map();
/** A key for each subject of the batch, the same for a subject each time. */
function keysOf(prepared) {
  const keys = new Map();
  for (const subject of subjectsToSeal(prepared, [])) {
    if (!subjectKeys.has(subject)) subjectKeys.set(subject, new Uint8Array(randomBytes(32)));
    keys.set(subject, { ok: true, key: subjectKeys.get(subject) });
  }
  return keys;
}

/** The server's stages for one batch; `within` stages also run inside `store.append`. */
function stages(store) {
  const recordedAt = new Date().toISOString();
  const newId = () => 'unused';
  return [
    { name: 'JSON.parse of the body', run: (s) => (s.events = JSON.parse(s.text).events) },
    { name: 'zod validation', run: (s) => (s.valid = s.events.map((e) => validateEvent(e).event)) },
    {
      name: 'prepareEvent (canonical members, facts)',
      run: (s) => (s.prepared = s.valid.map((e) => prepareEvent(e, newId))),
    },
    {
      // The subjects' keys are made beforehand, untimed: on the server the main thread looks
      // them up (and makes new ones) when the body arrives, and offers them with it.
      name: 'seal personal values (AES-256-GCM)',
      before: (s) => (s.keys = keysOf(s.prepared)),
      // As the server does: from the validated events (each has its id here), not the text.
      run: (s) => (s.prepared = sealWithKeys(s.prepared, s.keys, [], s.valid)),
    },
    {
      name: 'sealMembers (adds seq, recorded_at)',
      within: true,
      run: (s) => (s.sealed = s.prepared.map((p, i) => sealMembers(p.members, i, recordedAt))),
    },
    {
      name: 'Merkle leaf hash',
      within: true,
      run: (s) => s.sealed.map((json) => leafHash(Buffer.from(json))),
    },
    { name: 'store.append, one transaction', run: (s) => store.append(s.prepared, recordedAt) },
  ];
}

async function main() {
  const count = Number(process.env.BENCH_DECISIONS ?? 100_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'declog-breakdown-'));
  const stores = {};
  try {
    for (const [i, name] of Object.keys(STORE_VARIANTS).entries()) {
      stores[name] = await openStoreVariant(path.join(dir, `variant-${i}.db`), name);
    }
    const pipeline = stages(stores.full);
    const stageNs = pipeline.map(() => 0n);
    const appendNs = new Map(Object.keys(stores).map((name) => [name, 0n]));
    const batches = Math.ceil(count / BATCH);
    for (let first = 0; first < batches; first += CHUNK) {
      for (const body of requestBodies({ first, batches: CHUNK, batchSize: BATCH, count })) {
        const state = { text: body.text };
        for (const [i, stage] of pipeline.entries()) {
          stage.before?.(state);
          const start = process.hrtime.bigint();
          await stage.run(state);
          stageNs[i] += process.hrtime.bigint() - start;
        }
        for (const [name, store] of Object.entries(stores)) {
          if (name === 'full') continue;
          const start = process.hrtime.bigint();
          await store.append(state.prepared, new Date().toISOString());
          appendNs.set(name, appendNs.get(name) + process.hrtime.bigint() - start);
        }
      }
    }
    appendNs.set('full', stageNs.at(-1));
    process.stdout.write(render(count, pipeline, stageNs, appendNs));
  } finally {
    for (const store of Object.values(stores)) await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function render(count, pipeline, stageNs, appendNs) {
  const total = stageNs.reduce((sum, ns, i) => (pipeline[i].within ? sum : sum + ns), 0n);
  const within = stageNs.reduce((sum, ns, i) => (pipeline[i].within ? sum + ns : sum), 0n);
  const us = (ns) => (Number(ns) / 1000 / count).toFixed(2).padStart(7);
  const share = (ns) => `${((100 * Number(ns)) / Number(total)).toFixed(1).padStart(5)}%`;
  const rate = Math.round(count / (Number(total) / 1e9)).toLocaleString('en-US');
  const lines = [
    `ingest stages, ${count.toLocaleString('en-US')} decisions in batches of ${BATCH}`,
    '  µs/event  share  stage',
    ...pipeline.map((stage, i) => {
      const name = stage.within ? `  (within append) ${stage.name}` : stage.name;
      return `  ${us(stageNs[i])}  ${share(stageNs[i])}  ${name}`;
    }),
    `  ${us(stageNs.at(-1) - within)}  ${share(stageNs.at(-1) - within)}    (within append) SQLite and the rest`,
    `  ${us(total)}  100.0%  total: ${rate} events/s on one thread`,
    'store.append by schema variant (µs/event; SQLite and the rest = append - sealMembers - leaf hash)',
    ...[...appendNs].map(([name, ns]) => `  ${us(ns)}  ${us(ns - within)}  ${name}`),
  ];
  return `${lines.join('\n')}\n`;
}

main().catch((error) => {
  process.stderr.write(
    `breakdown: failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
