import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent } from './helpers/event-factory.js';
import { request, type Json } from './helpers/http-api.js';
import { databaseText } from './helpers/database-text.js';
import { runCli } from './helpers/run-cli.js';
import type { ServerProcess } from './helpers/server-process.js';
import { startServerOn, testStore, type TestStore } from './helpers/test-store.js';
import { useTempDir } from './helpers/temp-dir.js';

/**
 * Sealed features and cohorts: an analysis opens them for a caller who may read decisions,
 * writes no plaintext anywhere, leaves an erased subject's values out, and is refused to a
 * producer. On the database without the master key they are absent.
 */

const tmp = useTempDir('analytics-sealed');
let store: TestStore;
let server: ServerProcess;
const keys: Record<string, string> = {};
afterAll(async () => {
  await server?.stop();
  await killChildProcesses();
});

const call = (key: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  request<Json>(server.url, path, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

// A cohort value and a feature value that appear nowhere else, to look for in the database.
const REGION = (i: number) => (i % 2 === 0 ? 'fjordland-zq' : 'marshland-zq');
const decisions = Array.from({ length: 40 }, (_, i) =>
  decisionEvent({
    id: `sealed-${i}`,
    model: { name: 'sealed-model', version: '1' },
    prediction: { label: i % 4 === 0 ? 'approve' : 'decline', score: 0.5 },
    subject: { id: `person-${i}` },
    input: { features: { income: 1000 + i, employer: `employer-${i % 3}-zq` } },
    cohort: { region: REGION(i) },
  }),
);

beforeAll(async () => {
  store = await testStore(tmp, 'sealed');
  server = await startServerOn(store);
  for (const role of ['producer', 'reviewer', 'admin']) {
    const made = await request(server.url, '/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role, name: `${role}@example` }),
    });
    expect(made.status).toBe(201);
    keys[role] = made.body['key'] as string;
  }
  const posted = await call(keys['producer'] ?? '', '/v1/events', {
    method: 'POST',
    body: { events: decisions },
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
}, 120_000);

const fairness =
  '/v1/analyses/fairness?model=sealed-model&cohort=region&selected=approve&min_group=5';

describe('analyses of sealed values', () => {
  it('opens the cohort and features for a reviewer, and writes no plaintext', async () => {
    const answer = await call(keys['reviewer'] ?? '', fairness);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const metrics = answer.body['metrics'] as { groupSizes: Json };
    expect(metrics.groupSizes).toEqual({ 'fjordland-zq': 20, 'marshland-zq': 20 });
    expect(answer.body['verdicts']).toEqual({ 'fjordland-zq': 'ok', 'marshland-zq': 'disparity' });
    const drift = await call(
      keys['reviewer'] ?? '',
      '/v1/analyses/drift?model=sealed-model&reference_version=1&features=income,employer',
    );
    expect(drift.status, JSON.stringify(drift.body)).toBe(200);
    const fields = (drift.body['items'] as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['features.income', 'features.employer']));
    const text = await databaseText(store);
    expect(text).not.toContain('fjordland-zq');
    expect(text).not.toContain('employer-1-zq');
  });

  it('leaves an erased subject out', async () => {
    const erased = await call(keys['admin'] ?? '', '/v1/subjects/person-0', { method: 'DELETE' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    const answer = await call(keys['reviewer'] ?? '', fairness);
    expect((answer.body['metrics'] as { groupSizes: Json }).groupSizes).toEqual({
      'fjordland-zq': 19,
      'marshland-zq': 20,
    });
    expect(answer.body['without_cohort']).toBe(1);
  });

  it('is refused to a producer', async () => {
    const answer = await call(keys['producer'] ?? '', fairness);
    expect(answer.status).toBe(403);
  });

  it('sees no sealed value on the database without the master key', async () => {
    const shown = await runCli(
      [
        'analyze',
        'fairness',
        '--model',
        'sealed-model',
        '--cohort',
        'region',
        '--selected',
        'approve',
        ...store.args,
        '--json',
      ],
      { cwd: store.cwd },
    );
    expect(shown.code, shown.stderr).toBe(0);
    const answer = JSON.parse(shown.stdout) as { findings: string[]; verdicts: Json };
    expect(answer.verdicts).toEqual({});
    expect(answer.findings[0]).toMatch(/No verdict: none of the 40 decisions .* "region"/);
  });
});
