import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pseudonym } from '@declog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH, TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { killChildProcesses } from './helpers/child-processes.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startFaultProxy } from './sdk/fault-proxy.js';
import { lastJson, runScript } from './sdk/run-script.js';

// The SDK's API as a user meets it: each test runs a small program importing the built
// @declog/sdk in its own node process, against a real `declog serve`.

const tmp = useTempDir('sdk-api');
let server: ServerProcess;
beforeAll(async () => {
  server = await startServer(['--db', tmp.file('log.db'), '--port', '0']);
});
afterAll(async () => {
  await server.stop();
  await killChildProcesses();
});

const header = (url: string) => `
import { createDecisionLog, isDecisionLogError } from '@declog/sdk';
const log = createDecisionLog({ url: ${JSON.stringify(url)}, apiKey: ${JSON.stringify(TEST_ADMIN_KEY)}, onError: (e) => console.error(e.code, e.message) });
const DECISION = {
  model: { name: 'credit', version: '2.1' },
  prediction: { label: 'approve', score: 0.82 },
  confidence: 0.9,
  rationale: { summary: 'income well above the threshold', reasons: [{ code: 'income', weight: 0.6 }] },
  input: { features: { income: 52000, email: 'ann@example.com' } },
  labels: { team: 'risk' },
};
`;

async function chain(id: string) {
  const response = await fetch(`${server.url}/v1/decisions/${id}`, { headers: ADMIN_AUTH });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    decision: Record<string, unknown> & {
      context?: { trace_id?: string };
      input?: { features?: Record<string, unknown> };
    };
    actions: { id: string; action: { name: string } }[];
    outcomes: { outcome: { status: string; action_id?: string } }[];
    annotations: { annotation: { text: string } }[];
  };
}

describe('@declog/sdk as a user imports it', () => {
  it('logs a decision and its chain in two lines; ids are UUIDv7, occurred_at is filled', async () => {
    const result = await runScript(`${header(server.url)}
const before = Date.now();
const id = log.decision(DECISION);
const actionId = log.action(id, { kind: 'automated', name: 'approve', actor: { type: 'system', id: 'credit-service' }, details: { limit: 5000 } });
log.outcome(id, { status: 'success', label: 'repaid', value: 5000, source: 'billing', action_id: actionId });
log.annotate(id, { text: 'checked by hand', tags: ['audit'] });
await log.close();
console.log(JSON.stringify({ id, actionId, before, stats: log.stats() }));
`);
    expect(result.code, result.stderr).toBe(0);
    const { id, actionId, before, stats } = lastJson<{
      id: string;
      actionId: string;
      before: number;
      stats: Record<string, number>;
    }>(result);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBeGreaterThanOrEqual(before);
    expect(stats).toMatchObject({ queued: 0, sent: 4, dropped: 0, rejected: 0 });
    const stored = await chain(id);
    expect(stored.decision).toMatchObject({
      id,
      model: { name: 'credit', version: '2.1' },
      labels: { team: 'risk' },
    });
    expect(Date.parse(String(stored.decision['occurred_at']))).toBeGreaterThanOrEqual(before);
    expect(stored.actions.map((a) => [a.id, a.action.name])).toEqual([[actionId, 'approve']]);
    expect(stored.outcomes[0]!.outcome).toMatchObject({ status: 'success', action_id: actionId });
    expect(stored.annotations[0]!.annotation.text).toBe('checked by hand');
  });

  it('throws at the call site with the server’s own field paths and wording, and only there', async () => {
    const bad = {
      model: { name: 'credit' },
      prediction: {},
      confidence: 1.5,
      rationale: { summary: 'x', why: 1 },
    };
    const result = await runScript(`${header(server.url)}
let thrown;
try { log.decision(${JSON.stringify(bad)}); } catch (error) { thrown = { code: error.code, issues: error.issues, isError: isDecisionLogError(error, 'invalid_event'), message: error.message }; }
await log.close();
console.log(JSON.stringify({ thrown, stats: log.stats() }));
`);
    expect(result.code, result.stderr).toBe(0);
    const { thrown, stats } = lastJson<{
      thrown: {
        code: string;
        isError: boolean;
        message: string;
        issues: { path: string; message: string }[];
      };
      stats: Record<string, number>;
    }>(result);
    // The server's answer to the same event, sent by hand.
    const answer = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { ...ADMIN_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [{ ...bad, type: 'decision', occurred_at: '2026-12-07T10:00:00Z' }],
      }),
    });
    expect(answer.status).toBe(400);
    const { error } = (await answer.json()) as {
      error: { details: { path: string; message: string }[] };
    };
    expect(thrown.code).toBe('invalid_event');
    expect(thrown.isError).toBe(true);
    expect(thrown.issues).toEqual(error.details.map(({ path, message }) => ({ path, message })));
    expect(thrown.message).toContain('model.version is required');
    expect(stats).toMatchObject({ sent: 0, queued: 0 });
  });

  it('masks before anything leaves the process, with pseudonyms equal to the server’s', async () => {
    const key = 'an-example-pseudonym-key-of-32-bytes!'.slice(0, 32);
    const result = await runScript(`
import { createDecisionLog } from '@declog/sdk';
const log = createDecisionLog({
  url: ${JSON.stringify(server.url)}, apiKey: ${JSON.stringify(TEST_ADMIN_KEY)},
  masking: {
    policy: { rules: [
      { path: 'input.features.email', action: 'pseudonymize' },
      { path: 'input.features.income', action: 'generalize', step: 1000 },
      { path: 'labels', action: 'drop' },
    ], text: { fields: ['rationale.summary'], detect: ['email'], action: 'mask' } },
    pseudonymKey: new TextEncoder().encode(${JSON.stringify(key)}),
  },
});
const id = log.decision({
  model: { name: 'credit', version: '1' }, prediction: { score: 0.4 },
  rationale: { summary: 'asked by ann@example.com' },
  input: { features: { email: 'ann@example.com', income: 52345 } },
  labels: { customer: 'ann' },
});
await log.close();
console.log(JSON.stringify({ id }));
`);
    expect(result.code, result.stderr).toBe(0);
    const { id } = lastJson<{ id: string }>(result);
    const { decision } = await chain(id);
    expect(decision.input?.features).toEqual({
      email: pseudonym('ann@example.com', new TextEncoder().encode(key)),
      income: 52000,
    });
    expect(decision['rationale']).toEqual({ summary: 'asked by [email]' });
    expect(decision['labels']).toBeUndefined();
    // The markers are the log's to write: the SDK sends the masked event without them.
    expect(decision['masked']).toBeUndefined();
  });

  it('puts the active OpenTelemetry span’s trace id in context.trace_id, unless one is given', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const result = await runScript(`
import { context, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { createDecisionLog } from '@declog/sdk';
// A minimal context manager (the API's own contract), so that a span can be active.
let active = ROOT_CONTEXT;
context.setGlobalContextManager({
  active: () => active,
  with(ctx, fn, thisArg, ...args) { const prev = active; active = ctx; try { return fn.call(thisArg, ...args); } finally { active = prev; } },
  bind: (_ctx, target) => target, enable() { return this; }, disable() { return this; },
});
const log = createDecisionLog({ url: ${JSON.stringify(server.url)}, apiKey: ${JSON.stringify(TEST_ADMIN_KEY)} });
await new Promise((resolve) => setTimeout(resolve, 50)); // the optional module loads in the background
const base = { model: { name: 'm', version: '1' }, prediction: { score: 1 }, rationale: { summary: 's' } };
const span = trace.wrapSpanContext({ traceId: ${JSON.stringify(traceId)}, spanId: '00f067aa0ba902b7', traceFlags: 1 });
const ids = context.with(trace.setSpan(ROOT_CONTEXT, span), () => [
  log.decision({ ...base, context: { channel: 'web' } }),
  log.decision({ ...base, context: { trace_id: 'mine' } }),
]);
const outside = log.decision(base);
await log.close();
console.log(JSON.stringify({ ids, outside }));
`);
    expect(result.code, result.stderr).toBe(0);
    const { ids, outside } = lastJson<{ ids: string[]; outside: string }>(result);
    expect((await chain(ids[0]!)).decision['context']).toEqual({
      channel: 'web',
      trace_id: traceId,
    });
    expect((await chain(ids[1]!)).decision.context?.trace_id).toBe('mine');
    expect((await chain(outside)).decision['context']).toBeUndefined();
  });

  it('works without @opentelemetry/api installed', async () => {
    // A project of its own whose node_modules hold the SDK, the core and zod, and no
    // OpenTelemetry; --preserve-symlinks keeps resolution inside it.
    const project = tmp.file('project-without-otel');
    const modules = join(project, 'node_modules');
    mkdirSync(join(modules, '@declog'), { recursive: true });
    const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
    symlinkSync(here('../packages/sdk'), join(modules, '@declog', 'sdk'));
    symlinkSync(here('../packages/core'), join(modules, '@declog', 'core'));
    symlinkSync(here('../node_modules/zod'), join(modules, 'zod'));
    const result = await runScript(
      `${header(server.url)}
let otel = 'absent';
try { await import('@opentelemetry/api'); otel = 'present'; } catch {}
await new Promise((resolve) => setTimeout(resolve, 50));
const id = log.decision(DECISION);
await log.close();
console.log(JSON.stringify({ id, otel, stats: log.stats() }));
`,
      {},
      { cwd: project, nodeArgs: ['--preserve-symlinks', '--preserve-symlinks-main'] },
    );
    expect(result.code, result.stderr).toBe(0);
    const { id, otel, stats } = lastJson<{
      id: string;
      otel: string;
      stats: Record<string, number>;
    }>(result);
    expect(otel).toBe('absent');
    expect(stats).toMatchObject({ sent: 1 });
    expect((await chain(id)).decision['context']).toBeUndefined();
  });

  it('never keeps a process alive, yet delivers what a program that forgets close() logged', async () => {
    const result = await runScript(`${header(server.url)}
const id = log.decision(DECISION);
console.log(JSON.stringify({ id }));
`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.ms).toBeLessThan(8_000); // a hang would last until the test times out
    const { id } = lastJson<{ id: string }>(result);
    expect((await chain(id)).decision['id']).toBe(id);
  });

  it('exits at once when idle, with a log open and nothing to send', async () => {
    const result = await runScript(`${header(server.url)}
console.log(JSON.stringify(log.stats()));
`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.ms).toBeLessThan(8_000);
  });

  it('refuses embedded mode outside Node and bad options with a clear error', async () => {
    const result = await runScript(`
import { createDecisionLog } from '@declog/sdk';
const out = [];
const attempt = (options) => {
  try { createDecisionLog(options); out.push(null); } catch (error) { out.push({ code: error.code, message: error.message }); }
};
// A runtime without Node's process object, as an edge worker is.
const node = globalThis.process;
globalThis.process = undefined;
attempt({ db: 'never-made.db' });
globalThis.process = node;
attempt({ url: 'localhost:7300', apiKey: '', maxBatchEvents: 20000 });
attempt({ db: 'never-made.db', url: 'http://127.0.0.1:7300', apiKey: 'k', masterKey: '' });
attempt({ url: 'http://127.0.0.1:7300', apiKey: 'k', masterKeyFile: 'key' });
console.log(JSON.stringify(out));
`);
    const [embedded, invalid, both, keyWithoutDb] =
      lastJson<{ code: string; message: string }[]>(result);
    expect(embedded).toMatchObject({ code: 'embedded_unavailable' });
    expect(embedded!.message).toMatch(/needs Node/);
    expect(invalid!.code).toBe('invalid_options');
    expect(invalid!.message).toMatch(/url must be an http/);
    expect(invalid!.message).toMatch(/apiKey is required/);
    expect(invalid!.message).toMatch(/maxBatchEvents must be an integer from 1 to 10000/);
    expect(both).toMatchObject({
      code: 'invalid_options',
      message:
        'invalid createDecisionLog options: url goes with apiKey instead of db, not beside it; apiKey is for a server (url), not for db; masterKey must be a non-empty string',
    });
    expect(keyWithoutDb).toMatchObject({
      code: 'invalid_options',
      message: 'invalid createDecisionLog options: masterKeyFile is for embedded mode (db) only',
    });
  });
});

describe('@declog/sdk delivery against a real server', () => {
  it('sends many batches over kept-alive connections', async () => {
    const proxy = await startFaultProxy(server.url);
    try {
      const result = await runScript(`${header(proxy.url)}
for (let i = 0; i < 10000; i += 1) log.decision(DECISION);
await log.close();
console.log(JSON.stringify(log.stats()));
`);
      expect(result.code, result.stderr).toBe(0);
      expect(lastJson<Record<string, number>>(result)).toMatchObject({ sent: 10000, queued: 0 });
      expect(proxy.counts.forward).toBeGreaterThanOrEqual(20); // batches of 500
      // Connections are reused: a handful for all the requests (two in flight at most; the
      // runtime's pool may open one more as a request leaves just before another's answer is read).
      expect(proxy.connections()).toBeLessThanOrEqual(4);
    } finally {
      await proxy.close();
    }
  });

  it('dead-letters an event the server refuses (an id reused for other content) and stores the rest of its batch', async () => {
    const spoolDir = tmp.file('spool-dead-letter');
    const result = await runScript(`
import { createDecisionLog } from '@declog/sdk';
const errors = [];
const log = createDecisionLog({ url: ${JSON.stringify(server.url)}, apiKey: ${JSON.stringify(TEST_ADMIN_KEY)},
  spoolDir: ${JSON.stringify(spoolDir)}, onError: (e) => errors.push({ code: e.code, ids: e.eventIds, status: e.status }) });
const base = { model: { name: 'm', version: '1' }, prediction: { score: 1 }, rationale: { summary: 'first' } };
log.decision({ ...base, id: 'reused-id' });
await log.flush();
const ids = [0, 1, 2].map((i) => log.decision({ ...base, id: 'batch-' + i }));
log.decision({ ...base, id: 'reused-id', rationale: { summary: 'other content' } });
log.decision({ ...base, id: 'batch-3' });
await log.close();
console.log(JSON.stringify({ stats: log.stats(), errors }));
`);
    expect(result.code, result.stderr).toBe(0);
    const { stats, errors } = lastJson<{
      stats: Record<string, number>;
      errors: { code: string; ids: string[]; status: number }[];
    }>(result);
    expect(stats).toMatchObject({ sent: 5, rejected: 1, dropped: 0, queued: 0 });
    expect(errors).toEqual([{ code: 'dead_lettered', ids: ['reused-id'], status: 409 }]);
    const letters = readFileSync(join(spoolDir, 'dead-letter.ndjson'), 'utf8').trim().split('\n');
    expect(letters).toHaveLength(1);
    const letter = JSON.parse(letters[0]!) as Record<string, unknown>;
    expect(letter).toMatchObject({
      status: 409,
      code: 'id_conflict',
      issues: [{ path: 'id' }],
      event: { id: 'reused-id', rationale: { summary: 'other content' } },
    });
    for (const id of ['batch-0', 'batch-1', 'batch-2', 'batch-3']) {
      expect((await chain(id)).decision['id']).toBe(id);
    }
    expect((await chain('reused-id')).decision['rationale']).toEqual({ summary: 'first' });
  });
});
