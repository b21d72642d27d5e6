import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openBareStore } from './bare-store.mjs';
import { decisionEvent } from './decision-event.mjs';
import { httpClient } from './http-client.mjs';
import { startServer } from './server-process.mjs';

/** The masking policy of the "sealed + masked" variant: a pseudonym, a drop, a text scan. */
const POLICY = {
  rules: [
    { path: 'context.channel', action: 'pseudonymize' },
    { path: 'labels.region', action: 'drop' },
  ],
  text: {
    fields: ['rationale.summary'],
    detect: ['email', 'phone', 'card', 'secret'],
    action: 'mask',
  },
};

const VARIANTS = [
  {
    name: 'no subject (nothing sealed)',
    event: (e) => {
      const { subject: _subject, ...rest } = e;
      return rest;
    },
  },
  { name: 'subject: features sealed (AES-256-GCM)', event: (e) => e, retention: true },
  { name: 'sealed + masking policy', event: (e) => e, policy: POLICY },
];

/**
 * Ingest throughput with the privacy features on and off: the same `count` decisions sent to
 * a fresh server per variant, and inserted into a bare SQLite table (the baseline, measured in
 * the same run). Variants: decisions without a subject (nothing to seal); the benchmark's
 * decisions, whose features are sealed under their subject's key; and the same with a masking
 * policy (a pseudonym, a drop and a free-text scan) on top. On the sealed variant's server it
 * then times retention over all `count` decisions: a dry run, shredding every decision's
 * personal data, and pruning every decision, beside a bare SQLite DELETE of the same rows.
 */
export async function governancePhase({ count, batchSize, concurrency, serverNodeArgs, log }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'declog-bench-governance-'));
  const results = [];
  try {
    const bare = openBareStore(path.join(dir, 'bare.db'));
    const bodiesOf = (variant) => {
      const bodies = [];
      for (let start = 0; start < count; start += batchSize) {
        const events = [];
        for (let i = start; i < Math.min(start + batchSize, count); i += 1) {
          events.push(variant.event(decisionEvent(i, count, 7)));
        }
        bodies.push({ text: JSON.stringify({ events }), events: events.length });
      }
      return bodies;
    };
    let start = process.hrtime.bigint();
    for (const body of bodiesOf(VARIANTS[1])) await bare.ingest(body.text);
    const bareSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    start = process.hrtime.bigint();
    if (bare.deleteAll() !== count) throw new Error('the bare store lost rows');
    const bareDeleteSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    bare.close();
    let retention = null;
    for (const [index, variant] of VARIANTS.entries()) {
      const server = await startServer({
        node: process.execPath,
        dbPath: path.join(dir, `variant-${index}.db`),
        cwd: dir,
        nodeArgs: serverNodeArgs,
      });
      try {
        const client = httpClient(server.url, { sockets: concurrency });
        if (variant.policy) {
          const set = await client.put('/v1/policies/masking', JSON.stringify(variant.policy));
          if (set.status !== 200) throw new Error(`policy refused: ${set.text}`);
        }
        const bodies = bodiesOf(variant);
        start = process.hrtime.bigint();
        let next = 0;
        const worker = async () => {
          while (next < bodies.length) {
            const body = bodies[next];
            next += 1;
            const answer = await client.post('/v1/events', body.text);
            if (answer.status !== 200)
              throw new Error(`ingest failed: ${answer.text.slice(0, 300)}`);
          }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        client.close();
        results.push({
          name: variant.name,
          eventsPerSecond: count / seconds,
          bareEventsPerSecond: count / bareSeconds,
        });
        log(`privacy ingest, ${variant.name}: ${Math.round(count / seconds)} ev/s`);
        if (variant.retention) {
          retention = { ...(await timeRetention(client, count)), bareDeleteSeconds };
          log(
            `retention of ${count} decisions: plan ${retention.planSeconds.toFixed(2)} s, ` +
              `shred ${retention.shredSeconds.toFixed(2)} s, prune ${retention.pruneSeconds.toFixed(2)} s`,
          );
        }
      } finally {
        await server.stop().catch(() => server.kill());
      }
    }
    return { variants: results, retention };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Times retention on a server holding `count` sealed decisions, all recorded more than a
 * second ago: a dry run and a shredding run under `personal_data: PT1S`, then a pruning run
 * under `records: PT1S`. Each run must act on every decision.
 */
async function timeRetention(client, count) {
  const policy = async (body) => {
    const set = await client.put('/v1/policies/retention', JSON.stringify(body));
    if (set.status !== 200) throw new Error(`retention policy refused: ${set.text}`);
    await sleep(1100);
  };
  const timed = async (send, check) => {
    const start = process.hrtime.bigint();
    const answer = await send();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (answer.status !== 200) throw new Error(`retention failed: ${answer.text.slice(0, 300)}`);
    const report = JSON.parse(answer.text);
    if (!check(report))
      throw new Error(`retention did not act on every decision: ${answer.text.slice(0, 300)}`);
    return seconds;
  };
  await policy({ personal_data: 'PT1S' });
  const planSeconds = await timed(
    () => client.get('/v1/retention/plan'),
    (r) => r.shredded.decisions === count,
  );
  const shredSeconds = await timed(
    () => client.post('/v1/retention/apply'),
    (r) => r.shredded.decisions === count,
  );
  await policy({ records: 'PT1S' });
  const pruneSeconds = await timed(
    () => client.post('/v1/retention/apply'),
    (r) => r.pruned.decisions === count,
  );
  return { count, planSeconds, shredSeconds, pruneSeconds };
}
