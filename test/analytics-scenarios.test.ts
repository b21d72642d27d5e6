import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import type { TestEvent } from './helpers/event-factory.js';
import { request, type Json } from './helpers/http-api.js';
import { ingestInto } from './helpers/ledger-store.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore } from './helpers/test-store.js';

/**
 * The analyses on a log with known truth, generated with a fixed seed: a planted score shift
 * and change of the rationale mix, an escalation spike on one day, a cohort disparity, a new
 * version that performs worse, orphan, overdue and misdated records. Each is found and named in
 * `findings`; a stable stream raises nothing. Through the HTTP API, on the store under test.
 */

const tmp = useTempDir('analytics-scenarios');
let server: ServerProcess;
afterAll(async () => {
  await server?.stop();
  await killChildProcesses();
});

/** mulberry32: the test's own seeded generator. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal };
}
const rng = generator(20261208);
const clamp = (p: number) => Math.min(0.999, Math.max(0.001, p));
const DAY = 86_400_000;
const day = (n: number, hour = 12) =>
  new Date(Date.parse('2026-01-01T00:00:00Z') + (n - 1) * DAY + hour * 3_600_000).toISOString();
let counter = 0;
const id = (prefix: string) => `${prefix}-${(counter += 1)}`;

function decision(
  model: string,
  version: string,
  at: string,
  score: number,
  reasons: string[],
  extra: Record<string, unknown> = {},
): TestEvent & { id: string } {
  return {
    id: id(model),
    type: 'decision',
    occurred_at: at,
    model: { name: model, version },
    prediction: { label: score >= 0.5 ? 'approve' : 'decline', score },
    confidence: Math.max(score, 1 - score),
    rationale: { summary: 'scored', reasons: reasons.map((code) => ({ code })) },
    ...extra,
  } as TestEvent & { id: string };
}
const action = (decisionId: string, kind: string, at: string): TestEvent =>
  ({
    id: id('act'),
    type: 'action',
    decision_id: decisionId,
    occurred_at: at,
    action: { kind, name: kind, actor: { type: 'system', id: 'svc' } },
  }) as TestEvent;
const outcome = (decisionId: string, at: string, label?: string): TestEvent =>
  ({
    id: id('out'),
    type: 'outcome',
    decision_id: decisionId,
    occurred_at: at,
    outcome: { status: label === 'default' ? 'failure' : 'success', ...(label ? { label } : {}) },
  }) as TestEvent;

const events: TestEvent[] = [];
// Drift: two models, 100 decisions a day; days 1-14 are the reference, 15-21 the current window.
for (const model of ['stable', 'shifted']) {
  for (let d = 1; d <= 21; d += 1) {
    for (let i = 0; i < 100; i += 1) {
      const planted = model === 'shifted' && d >= 15;
      const score = clamp(0.4 + 0.12 * rng.normal() + (planted ? 0.2 : 0));
      const reasons = ['INCOME'];
      if (rng.next() < (planted ? 0.45 : 0.1)) reasons.push('ARREARS');
      if (rng.next() < 0.3) reasons.push('TENURE');
      const features = {
        income: Math.round(50_000 + 12_000 * rng.normal()),
        channel: rng.next() < 0.7 ? 'web' : 'branch',
      };
      events.push(
        decision(model, '1', day(d, (i % 20) + 1), score, reasons, { input: { features } }),
      );
    }
  }
}
// Anomalies: 200 decisions a day, 5% escalated, but 30% on day 18.
for (let d = 1; d <= 21; d += 1) {
  for (let i = 0; i < 200; i += 1) {
    const made = decision('queue', '1', day(d, (i % 20) + 1), 0.5, ['CHECK']);
    events.push(made);
    if (rng.next() < (d === 18 ? 0.3 : 0.05))
      events.push(action(made.id, 'escalation', day(d, 22)));
  }
}
// Fairness: north approved 60%, south 30%; east too small for a verdict.
for (const [region, count, rate] of [
  ['north', 300, 0.6],
  ['south', 300, 0.3],
  ['east', 10, 0.5],
] as const) {
  for (let i = 0; i < count; i += 1) {
    const score = rng.next() < rate ? 0.8 : 0.2;
    events.push(decision('loans', '1', day(5), score, ['INCOME'], { cohort: { region } }));
  }
}
// Performance: version 1 ranks defaults well, version 2 barely; every decision has an outcome.
for (const version of ['1', '2']) {
  for (let i = 0; i < 600; i += 1) {
    const defaulted = rng.next() < 0.3;
    const signal = version === '1' ? 1.6 : 0.15;
    const score = 1 / (1 + Math.exp(-(signal * (defaulted ? 1 : -1) + rng.normal())));
    const made = decision('scorer', version, day(version === '1' ? 3 : 10), score, ['INCOME']);
    events.push(
      made,
      outcome(made.id, day(version === '1' ? 40 : 47), defaulted ? 'default' : 'repaid'),
    );
  }
}
// Quality: model q; version 1 declared (reason OK, outcomes within 7 days), version 2 not.
const q = [
  decision('q', '1', day(1), 0.7, ['OK']),
  decision('q', '1', day(1), 0.7, ['OK']),
  decision('q', '1', day(2), 0.7, ['OK', 'UNDECLARED']),
  decision('q', '1', day(2), 0.7, ['OK']),
  decision('q', '2', day(3), 0.7, ['OK']),
];
events.push(...q);
events.push(action(q[0]!.id, 'automated', day(1, 13)), action(q[1]!.id, 'automated', day(1, 13)));
events.push(outcome(q[0]!.id, day(2)), outcome(q[1]!.id, day(1, 6)));
for (let i = 0; i < 3; i += 1) events.push(action(`ghost-${i}`, 'automated', day(1)));

const get = async (path: string) => request<Json>(server.url, path);
const ok = async (path: string) => {
  const answer = await get(path);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as Json & { findings: string[] };
};

beforeAll(async () => {
  const store = await testStore(tmp, 'scenarios');
  await ingestInto(store, events);
  server = await startServerOn(store);
  const declare = (model: string, version: string, body: Json) =>
    request(server.url, `/v1/models/${model}/versions/${version}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  for (const [model, version, extra] of [
    ['scorer', '1', { positive_label: 'default' }],
    ['scorer', '2', { positive_label: 'default' }],
    [
      'q',
      '1',
      { expected_outcome_delay: 'P7D', reasons: { OK: { text: 'All fine', adverse: false } } },
    ],
  ] as const) {
    const answer = await declare(model, version, { owner: 'risk', purpose: 'test', ...extra });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  }
}, 180_000);

const window = (from: number, to: number) => `from=${day(from, 0)}&to=${day(to, 0)}`;
const reference = `reference_from=${day(1, 0)}&reference_to=${day(15, 0)}`;

describe('drift', () => {
  it('finds the planted score shift and the shifted rationale mix, naming the codes', async () => {
    const answer = await ok(`/v1/analyses/drift?model=shifted&${window(15, 22)}&${reference}`);
    expect(answer['reference']).toMatchObject({ count: 1400 });
    expect(answer['current']).toMatchObject({ count: 700 });
    expect(answer['drifted']).toEqual(expect.arrayContaining(['score', 'reasons']));
    expect(answer['drifted']).not.toContain('features.income');
    expect(answer.findings.join('\n')).toMatch(/^score drifted/m);
    expect(answer.findings.join('\n')).toMatch(
      /rationale mix shifted.*ARREARS rose from 1\d\.\d% to 4\d\.\d%/,
    );
    const items = answer['items'] as { field: string; method: string }[];
    for (const field of ['score', 'confidence', 'features.income']) {
      expect(
        items
          .filter((i) => i.field === field)
          .map((i) => i.method)
          .sort(),
      ).toEqual(['ks', 'psi', 'wasserstein']);
    }
    expect(
      items
        .filter((i) => i.field === 'reasons')
        .map((i) => i.method)
        .sort(),
    ).toEqual(['chisquare', 'jensenshannon']);
  });

  it('raises nothing on a stable stream', async () => {
    const answer = await ok(`/v1/analyses/drift?model=stable&${window(15, 22)}&${reference}`);
    expect(answer['drifted']).toEqual([]);
    expect(answer.findings).toEqual([]);
    expect((answer['items'] as unknown[]).length).toBeGreaterThan(10);
  });

  it('refuses a reference after the current window and unknown parameters, with a 400', async () => {
    const after = await get(
      `/v1/analyses/drift?model=stable&${window(2, 5)}&reference_from=${day(10)}&reference_to=${day(12)}`,
    );
    expect(after.status).toBe(400);
    expect(JSON.stringify(after.body)).toMatch(/reference_from/);
    const unknown = await get(`/v1/analyses/drift?model=stable&${reference}&colour=red`);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toMatch(/colour/);
    const missing = await get(`/v1/analyses/drift?${reference}`);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toMatch(/model/);
  });

  it('says why there is no verdict for a window with no data', async () => {
    const answer = await ok(`/v1/analyses/drift?model=stable&${window(100, 110)}&${reference}`);
    expect(answer['items']).toEqual([]);
    expect(answer.findings[0]).toMatch(/No verdict: the current window holds no decisions/);
  });
});

describe('anomalies', () => {
  it('flags the escalation spike on day 18 and nothing else', async () => {
    const answer = await ok(
      `/v1/analyses/anomalies?model=queue&metric=escalation_rate&bucket=day&${window(15, 22)}`,
    );
    const anomalies = answer['anomalies'] as { bucket: string }[];
    expect(anomalies.map((a) => a.bucket)).toEqual([day(18, 0)]);
    expect(answer.findings).toHaveLength(1);
    expect(answer.findings[0]).toMatch(/^escalation_rate spiked in the day from 2026-01-18/);
    expect((answer['points'] as unknown[]).length).toBe(7);
  });

  it('raises nothing on a stable stream, by rate or by count', async () => {
    const rate = await ok(
      `/v1/analyses/anomalies?model=queue&metric=escalation_rate&${window(8, 15)}`,
    );
    expect(rate['anomalies']).toEqual([]);
    const volume = await ok(`/v1/analyses/anomalies?model=stable&metric=volume&${window(15, 22)}`);
    expect(volume['anomalies']).toEqual([]);
    expect(volume.findings).toEqual([]);
  });

  it('refuses an unknown metric', async () => {
    const answer = await get(`/v1/analyses/anomalies?model=queue&metric=mood&${window(15, 22)}`);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/metric/);
  });
});

describe('fairness', () => {
  it('finds the planted disparity by the four-fifths rule, and no verdict for a small group', async () => {
    const answer = await ok('/v1/analyses/fairness?model=loans&cohort=region&selected=approve');
    expect(answer['verdicts']).toEqual({ east: 'too_small', north: 'ok', south: 'disparity' });
    expect(answer.findings.join('\n')).toMatch(
      /region = south is selected at .*below the four-fifths rule/,
    );
    expect(answer.findings.join('\n')).toMatch(/No verdict for region = east/);
  });

  it('says why there is no verdict for a cohort attribute nobody sent', async () => {
    const answer = await ok('/v1/analyses/fairness?model=loans&cohort=shoe_size&selected=approve');
    expect(answer['verdicts']).toEqual({});
    expect(answer.findings[0]).toMatch(/No verdict: none of the 610 decisions .* "shoe_size"/);
  });
});

describe('performance', () => {
  it('finds that the new version performs worse, with an interval for the AUC difference', async () => {
    const answer = await ok('/v1/analyses/performance?model=scorer');
    const versions = answer['versions'] as {
      version: string;
      decisions: number;
      with_outcome: number;
      metrics: { rocAuc: number };
      outcome_delay_seconds: { p50: number };
    }[];
    expect(versions.map((v) => [v.version, v.decisions, v.with_outcome])).toEqual([
      ['1', 600, 600],
      ['2', 600, 600],
    ]);
    expect(versions[0]!.metrics.rocAuc).toBeGreaterThan(0.8);
    expect(versions[1]!.metrics.rocAuc).toBeLessThan(0.65);
    expect(versions[0]!.outcome_delay_seconds.p50).toBe(37 * 86_400);
    expect(answer['comparison']).toMatchObject({ baseline: '1', candidate: '2', worse: true });
    expect(answer.findings.join('\n')).toMatch(/Version 2 performs worse than 1/);
  });
});

describe('quality', () => {
  it('finds the orphan, overdue, misdated and undeclared records', async () => {
    const answer = await ok('/v1/analyses/quality?model=q');
    const checks = Object.fromEntries(
      (answer['checks'] as { check: string; count: number; examples: string[] }[]).map((c) => [
        c.check,
        c,
      ]),
    );
    expect(checks['orphan_actions']).toMatchObject({ count: 3 });
    expect(checks['decisions_without_action']).toMatchObject({
      count: 3,
      examples: [q[2]!.id, q[3]!.id, q[4]!.id],
    });
    expect(checks['outcomes_overdue']).toMatchObject({ count: 2, examples: [q[2]!.id, q[3]!.id] });
    expect(checks['outcomes_before_decision']?.count).toBe(1);
    expect(checks['reasons_outside_catalogue']).toMatchObject({ count: 1, examples: [q[2]!.id] });
    expect(checks['undeclared_versions']).toMatchObject({ count: 1, examples: ['q@2'] });
    const text = answer.findings.join('\n');
    expect(text).toMatch(/3 action\(s\) name a decision the log does not hold/);
    expect(text).toMatch(/1 outcome\(s\) are dated before their decision/);
    expect(text).toMatch(/q@2/);
  });
});

describe('the model inventory', () => {
  it('lists declared and undeclared versions with their use, and keeps revisions', async () => {
    const inventory = await ok('/v1/models');
    const versions = (inventory['models'] as { versions: Json[] }[]).flatMap((m) => m.versions);
    expect(versions.find((v) => v['name'] === 'q' && v['version'] === '2')).toMatchObject({
      declared: false,
      decisions: 1,
    });
    expect(versions.find((v) => v['name'] === 'scorer' && v['version'] === '1')).toMatchObject({
      declared: true,
      revision: 1,
      decisions: 600,
      outcomes: 600,
      actions: 0,
    });
    const put = (body: Json) =>
      request(server.url, '/v1/models/rev/versions/1', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put({ owner: 'a', purpose: 'p' })).status).toBe(201);
    expect((await put({ owner: 'a', purpose: 'p' })).status).toBe(200);
    expect((await put({ owner: 'b', purpose: 'p' })).status).toBe(201);
    const shown = await ok('/v1/models/rev/versions/1');
    expect((shown['revisions'] as Json[]).map((r) => (r['declaration'] as Json)['owner'])).toEqual([
      'a',
      'b',
    ]);
    const bad = await put({ owner: 'a', purpose: 'p', expected_outcome_delay: 'soon', colour: 1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/expected_outcome_delay/);
    expect(JSON.stringify(bad.body)).toMatch(/colour/);
  });
});

describe('the model policy', () => {
  it('refuses at ingest names outside the convention and, when asked, undeclared versions', async () => {
    const put = (body: Json) =>
      request(server.url, '/v1/policies/models', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await put({ name_pattern: '(a+)+', undeclared: 'drop' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/name_pattern.*exponential/);
    expect(JSON.stringify(bad.body)).toMatch(/undeclared.*flag, refuse/);
    const set = await put({
      name_pattern: '[a-z]+',
      version_pattern: '\\d+',
      undeclared: 'refuse',
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const post = (events: TestEvent[]) =>
      request(server.url, '/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
    const refused = await post([
      decision('scorer', '1', day(30), 0.5, ['INCOME']),
      decision('scorer', '3', day(30), 0.5, ['INCOME']),
      decision('Bad-Name', '1', day(30), 0.5, ['INCOME']),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: {
        code: 'invalid_event',
        details: [
          { index: 1, path: 'model.version', message: expect.stringMatching(/not declared/) },
          { index: 2, path: 'model.name', message: expect.stringMatching(/naming convention/) },
        ],
      },
    });
    const accepted = await post([decision('scorer', '1', day(30), 0.5, ['INCOME'])]);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const removed = await request(server.url, '/v1/policies/models', { method: 'DELETE' });
    expect(removed.body).toEqual({ removed: true });
    expect((await post([decision('scorer', '3', day(30), 0.5, ['INCOME'])])).status).toBe(200);
  });
});

describe('the access trail', () => {
  it('records every analysis and declaration like any other read or change', async () => {
    await ok(`/v1/analyses/drift?model=stable&${window(15, 22)}&${reference}`);
    const trail = await ok('/v1/access-log?action=analyses.drift&limit=1000');
    const items = trail['items'] as { action: string; status: number }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.action === 'analyses.drift')).toBe(true);
    const refused = await ok('/v1/access-log?action=analyses.anomalies&limit=1000');
    expect((refused['items'] as { status: number }[]).map((e) => e.status)).toContain(400);
    const declared = await ok('/v1/access-log?action=models.declare&limit=1000');
    expect((declared['items'] as unknown[]).length).toBeGreaterThanOrEqual(3);
  });
});
