import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, expandEventText } from '@declog/core';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent, type TestEvent } from './helpers/event-factory.js';
import { request } from './helpers/http-api.js';
import { withStoreSql } from './helpers/ledger-store.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, startServerOn, testStore, type TestStore } from './helpers/test-store.js';

// `declog keys`, `--tenant` and `verify --access-log`, through the built CLI against a real
// server and directly on its database.

const tmp = useTempDir('cli-governance');
afterAll(killChildProcesses);

let store: TestStore;
let server: ServerProcess;

interface KeyJson {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly role: string;
  readonly tenant: string;
  readonly revoked_at: string | null;
}

const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(args, { cwd: store.cwd, env });

function expectOk(result: CliResult): string {
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

function expectRefused(result: CliResult, code: string): void {
  expect(result.code, result.stdout).toBe(1);
  expect(result.stderr).toContain(`[${code}]`);
}

let files = 0;
function eventsFile(events: readonly TestEvent[]): string {
  const file = tmp.file(`events-${(files += 1)}.ndjson`);
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

/** The prediction label of decision `id` as `declog get … --json` prints it. */
async function labelOf(id: string, target: readonly string[]): Promise<unknown> {
  const chain = JSON.parse(expectOk(await cli(['get', id, '--json', ...target]))) as {
    decision: { prediction: { label?: unknown } };
  };
  return chain.decision.prediction.label;
}

beforeAll(async () => {
  store = await testStore(tmp, 'gov');
  server = await startServerOn(store);
});

describe('declog keys over --url', () => {
  it('creates, lists and revokes a key; the revoked key is then refused', async () => {
    // Without --json: a readable answer whose secret stands on its own line.
    const text = expectOk(
      await cli([
        'keys',
        'create',
        '--url',
        server.url,
        '--role',
        'producer',
        '--name',
        'svc-b',
        '--tenant',
        'acme',
      ]),
    );
    expect(text).toMatch(/^created producer key [a-z0-9]+ "svc-b" for tenant acme$/m);
    expect(text).toMatch(/shown only now/);
    const secret = /^(dlk_[a-z0-9]+_[A-Za-z0-9_-]{43})$/m.exec(text)?.[1];
    expect(secret, text).toBeDefined();
    const id = /^dlk_([a-z0-9]+)_/.exec(secret ?? '')?.[1] ?? '';

    const table = expectOk(await cli(['keys', 'list', '--url', server.url]));
    expect(table).toMatch(/^id +name +role +tenant +created_at +revoked_at$/m);
    expect(table).toMatch(new RegExp(`^${id} +svc-b +producer +acme +\\S+ +-$`, 'm'));
    expect(table).not.toContain(secret);
    const acmeOnly = JSON.parse(
      expectOk(await cli(['keys', 'list', '--url', server.url, '--tenant', 'acme', '--json'])),
    ) as { keys: KeyJson[] };
    expect(acmeOnly.keys.map((k) => k.name)).toEqual(['svc-b']);

    const file = eventsFile([decisionEvent()]);
    expectOk(await cli(['ingest', file, '--url', server.url, '--key', secret ?? '']));
    const revoked = expectOk(await cli(['keys', 'revoke', id, '--url', server.url]));
    expect(revoked).toMatch(new RegExp(`^revoked producer key ${id} "svc-b" for tenant acme at `));
    expectRefused(
      await cli(['ingest', file, '--url', server.url, '--key', secret ?? '']),
      'unauthorized',
    );
  });

  it('prints the API error with its code and fields', async () => {
    expectRefused(await cli(['keys', 'revoke', 'nosuchkey', '--url', server.url]), 'key_not_found');
    const refused = await cli([
      'keys',
      'create',
      '--url',
      server.url,
      '--role',
      'producer',
      '--name',
      'p',
      '--tenant',
      '*',
    ]);
    expectRefused(refused, 'invalid_body');
    expect(refused.stderr).toMatch(/^ {2}tenant: /m);
  });
});

describe('declog keys on the database', () => {
  it('replaces a lost admin key without the API, and revokes it, each change in the trail', async () => {
    const made = JSON.parse(
      expectOk(
        await cli(
          [
            'keys',
            'create',
            ...store.args,
            '--role',
            'admin',
            '--name',
            'new-admin',
            '--tenant',
            '*',
            '--json',
          ],
          { USER: 'operator1' },
        ),
      ),
    ) as KeyJson;
    expect(made).toMatchObject({ role: 'admin', tenant: '*', name: 'new-admin', revoked_at: null });
    // The running server accepts it at once, and the database lists it.
    const viaServer = JSON.parse(
      expectOk(await cli(['keys', 'list', '--url', server.url, '--key', made.key, '--json'])),
    ) as { keys: KeyJson[] };
    expect(viaServer.keys.map((k) => k.id)).toContain(made.id);
    expect(expectOk(await cli(['keys', 'list', ...store.args]))).toMatch(
      new RegExp(`^${made.id} +new-admin +admin +\\* `, 'm'),
    );

    expectOk(await cli(['keys', 'revoke', made.id, ...store.args], { USER: 'operator1' }));
    expectRefused(
      await cli(['keys', 'list', '--url', server.url, '--key', made.key]),
      'unauthorized',
    );
    const trail = await request<{ items: { action: string; actor: { name: string } }[] }>(
      server.url,
      '/v1/access-log?actor=local:operator1',
    );
    expect(trail.body.items.map((e) => e.action).sort()).toEqual(['keys.create', 'keys.revoke']);
  });
});

describe('--tenant', () => {
  beforeAll(async () => {
    expectOk(
      await cli([
        'keys',
        'create',
        '--url',
        server.url,
        '--role',
        'auditor',
        '--name',
        'a',
        '--tenant',
        'beta',
      ]),
    );
  });

  it('keeps tenants apart over --url and on the database', async () => {
    const url = ['--url', server.url];
    const inDefault = decisionEvent({ id: 'shared-1', prediction: { label: 'default-side' } });
    const inBeta = decisionEvent({ id: 'shared-1', prediction: { label: 'beta-side' } });
    expectOk(await cli(['ingest', eventsFile([inDefault]), ...url]));
    expectOk(await cli(['ingest', eventsFile([inBeta]), ...url, '--tenant', 'beta']));
    const onlyBeta = decisionEvent({ id: 'beta-only', prediction: { label: 'local' } });
    expectOk(await cli(['ingest', eventsFile([onlyBeta]), ...store.args, '--tenant', 'beta']));

    expect(await labelOf('shared-1', url)).toBe('default-side');
    expect(await labelOf('shared-1', [...url, '--tenant', 'beta'])).toBe('beta-side');
    expect(await labelOf('shared-1', store.args)).toBe('default-side');
    expect(await labelOf('shared-1', [...store.args, '--tenant', 'beta'])).toBe('beta-side');
    expect(await labelOf('beta-only', [...url, '--tenant', 'beta'])).toBe('local');
    expectRefused(await cli(['get', 'beta-only', '--json', ...url]), 'not_found');
    expectRefused(await cli(['get', 'beta-only', '--json', ...store.args]), 'not_found');

    const ids = async (target: readonly string[]) =>
      (
        JSON.parse(expectOk(await cli(['query', '--json', ...target]))) as {
          items: { id: string }[];
        }
      ).items
        .map((d) => d.id)
        .sort();
    expect(await ids([...url, '--tenant', 'beta'])).toEqual(['beta-only', 'shared-1']);
    expect(await ids([...store.args, '--tenant', 'beta'])).toEqual(['beta-only', 'shared-1']);
    expect(await ids(url)).not.toContain('beta-only');
    expect(await ids(store.args)).not.toContain('beta-only');

    expectRefused(await cli(['query', ...url, '--tenant', 'nope']), 'tenant_not_found');
    expectRefused(await cli(['query', ...store.args, '--tenant', 'nope']), 'tenant_not_found');
  });

  it("verifies a tenant's decision log on the database", async () => {
    await cli(['ingest', eventsFile([decisionEvent()]), '--url', server.url, '--tenant', 'beta']);
    const out = expectOk(await cli(['verify', ...store.args, '--tenant', 'beta']));
    expect(out).toMatch(/^ok \d+ entries/);
    expect(out).toMatch(/checked for origin \S+\/tenant\/beta,/);
    expect(out).toContain('log: the decision log of tenant beta');
  });
});

describe('declog verify --access-log', () => {
  it('verifies the access trail over --url and on the database, and detects an edited entry', async () => {
    for (let i = 0; i < 3; i++) expectOk(await cli(['query', '--url', server.url, '--json']));
    const state = tmp.file('access-state.json');
    const first = expectOk(
      await cli(['verify', '--url', server.url, '--access-log', '--state', state]),
    );
    expect(first).toMatch(/^ok (\d+) entries/);
    expect(first).toMatch(/checkpoint for origin \S+\/access,/);
    // A second run resumes from the state, proving the trail only grew.
    const second = expectOk(
      await cli(['verify', '--url', server.url, '--access-log', '--state', state]),
    );
    expect(second).toMatch(/consistent with the \d+ entries verified before/);
    // The decision log is remembered apart: its state file knows nothing of the trail.
    const decisions = expectOk(
      await cli(['verify', '--url', server.url, '--state', tmp.file('decisions-state.json')]),
    );
    expect(decisions).toMatch(/TRUSTED ON FIRST USE/);
    expect(expectOk(await cli(['verify', ...store.args, '--access-log']))).toMatch(
      /^ok \d+ entries/,
    );

    const key = (await request<string>(server.url, '/v1/log/key')).body;
    await withStoreSql(store, async (sql) => {
      const [table, where] =
        STORE_KIND === 'postgres'
          ? ['events', "tenant_id = 'default/access' AND seq = 0"]
          : [
              `${(await sql.rows<{ prefix: string }>("SELECT prefix FROM logs WHERE log_id = 'default/access'"))[0]?.prefix ?? 'missing_'}events`,
              'seq = 0',
            ];
      const [row] = await sql.rows<{ body: string }>(`SELECT body FROM ${table} WHERE ${where}`);
      const entry = JSON.parse(expandEventText(String(row?.body))) as Record<string, unknown>;
      const edited = canonicalJson({ ...entry, records: 999 });
      await sql.run(`UPDATE ${table} SET body = ? WHERE ${where}`, [edited]);
    });

    const remote = await cli([
      'verify',
      '--url',
      server.url,
      '--access-log',
      '--verifier-key',
      key,
      '--state',
      tmp.file('fresh-state.json'),
    ]);
    expect(remote.code, remote.stdout).toBe(1);
    expect(remote.stderr).toMatch(/^FAILED \[root-mismatch\]/);
    const local = await cli(['verify', ...store.args, '--access-log']);
    expect(local.code, local.stdout).toBe(1);
    expect(local.stderr).toMatch(/^FAILED \[edited-entry\] at seq 0/);
  });
});
