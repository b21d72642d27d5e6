import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent } from './helpers/event-factory.js';
import { request, type Json } from './helpers/http-api.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { startServerOn, testStore, type TestStore } from './helpers/test-store.js';
import { databaseText } from './helpers/database-text.js';
import { useTempDir } from './helpers/temp-dir.js';

// `declog ingest`, `get` and `query` on the database itself apply what the server applies: the
// tenant's masking policy and the sealing of personal data under subject keys.

const tmp = useTempDir('cli-local-privacy');
afterAll(killChildProcesses);

const EMAIL = 'local.ingest.person@example.org';
const EMPLOYER = 'Brightwater Looms 5512';

let store: TestStore;

const cli = (args: readonly string[], input?: string): Promise<CliResult> =>
  runCli(args, { cwd: store.cwd, ...(input !== undefined ? { input } : {}) });

function ok(result: CliResult): string {
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  store = await testStore(tmp, 'local');
  // The server makes the database, its master key and the tenant's masking policy.
  const server = await startServerOn(store);
  const set = await request(server.url, '/v1/policies/masking', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      rules: [{ path: 'context.actor', action: 'pseudonymize' }],
      text: { fields: ['rationale.summary'], detect: ['email'], action: 'mask' },
    }),
  });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  await server.stop();
});

describe('declog ingest on the database', () => {
  it('masks and seals as the server would, and get opens the sealed values', async () => {
    const event = decisionEvent({
      id: 'local-1',
      subject: { id: 'subject-local' },
      input: { features: { employer: EMPLOYER } },
      context: { actor: 'clerk-9' },
      rationale: { summary: `Wrote to ${EMAIL} about the loan` },
    });
    const file = tmp.file('events.ndjson');
    writeFileSync(file, `${JSON.stringify(event)}\n`);
    ok(await cli(['ingest', file, ...store.args]));

    const text = await databaseText(store);
    expect(text).toContain('local-1');
    for (const raw of [EMAIL, EMPLOYER, 'clerk-9']) expect(text.includes(raw), raw).toBe(false);

    const chain = JSON.parse(ok(await cli(['get', 'local-1', '--json', ...store.args]))) as {
      decision: Json & { input: { features: Json }; context: Json; rationale: Json };
    };
    expect(chain.decision.input.features).toEqual({ employer: EMPLOYER });
    expect(chain.decision.context['actor']).toMatch(/^hmac:/);
    expect(chain.decision.rationale['summary']).toBe('Wrote to [email] about the loan');
    expect(chain.decision['personal']).toMatchObject({ sealed: true });

    // A server started on the database afterwards opens them the same way.
    const server = await startServerOn(store);
    const read = await request(server.url, '/v1/decisions/local-1');
    expect((read.body['decision'] as { input: Json }).input).toEqual({
      features: { employer: EMPLOYER },
    });
    await server.stop();
  });
});

describe('a resend after an erasure', () => {
  it('is a duplicate: ingesting the same file again, on the database or a server, stores nothing new', async () => {
    const events = ['resend-1', 'resend-2'].map((id) =>
      decisionEvent({
        id,
        subject: { id: 'subject-resend' },
        input: { features: { employer: EMPLOYER } },
      }),
    );
    const file = tmp.file('resend.ndjson');
    writeFileSync(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
    expect(ok(await cli(['ingest', file, ...store.args]))).toMatch(/\(2 created, 0 duplicate\)/);
    expect(ok(await cli(['erase', 'subject-resend', ...store.args]))).toMatch(/key destroyed/);

    const again = await cli(['ingest', file, ...store.args]);
    expect(ok(again)).toMatch(/^ingested 2 events \(0 created, 2 duplicate\), 0 rejected/);
    expect(again.stderr).toBe('');
    const server = await startServerOn(store);
    try {
      const remote = await cli(['ingest', file, '--url', server.url]);
      expect(ok(remote)).toMatch(/^ingested 2 events \(0 created, 2 duplicate\), 0 rejected/);
    } finally {
      await server.stop();
    }
  });
});
