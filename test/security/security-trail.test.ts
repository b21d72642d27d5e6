import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH } from '../helpers/admin-key.js';
import { killChildProcesses } from '../helpers/child-processes.js';
import { databaseText } from '../helpers/database-text.js';
import { expectApiError, request, type Json } from '../helpers/http-api.js';
import { runCli } from '../helpers/run-cli.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, testStore, type TestStore } from '../helpers/test-store.js';
import { openDatabase } from 'declog';
import { SECURITY_LOG_ID } from '@declog/core';
import { verifyLog } from '../../packages/server/src/services/ledger/verify-log.js';

// 401s and cross-tenant 403s reach no tenant's access trail: the server records them in a
// security trail of its own, rate-limited per address, readable by admins of all tenants.

const tmp = useTempDir('security-trail');
afterAll(killChildProcesses);

interface SecurityEntry {
  readonly refusal: string;
  readonly status?: number;
  readonly method?: string;
  readonly route?: string;
  readonly message?: string;
  readonly client?: { readonly address: string };
  readonly key_id?: string;
  readonly tenant?: string;
  readonly counts?: Record<string, number>;
}

interface SecurityPage {
  readonly items: SecurityEntry[];
  readonly next_cursor: string | null;
}

/** A request from the local address `from` (any 127.0.0.x is this machine on Linux). */
function requestFrom(
  url: string,
  from: string,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method, localAddress: from, headers, agent: false },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Every entry of the security trail, page after page, read with `key`. */
async function securityTrail(
  url: string,
  key = ADMIN_AUTH.authorization,
): Promise<SecurityEntry[]> {
  const entries: SecurityEntry[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page: { status: number; body: SecurityPage } = await request<SecurityPage>(
      url,
      `/v1/security-log?limit=5${cursor === '' ? '' : `&cursor=${cursor}`}`,
      { headers: { authorization: key } },
    );
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    entries.push(...page.body.items);
    cursor = page.body.next_cursor;
  }
  return entries;
}

const WRONG_SECRET = 'WrongSecretWrongSecretWrongSecretWrongSecre';

describe('the security trail', () => {
  let store: TestStore;
  let server: ServerProcess;
  let acmeKey: { id: string; key: string };
  let acmeAdmin: { id: string; key: string };

  beforeAll(async () => {
    store = await testStore(tmp, 'trail');
    server = await startServerOn(store);
    const make = async (body: Record<string, string>) => {
      const made = await request<{ id: string; key: string }>(server.url, '/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(made.status).toBe(201);
      return made.body;
    };
    acmeKey = await make({ role: 'auditor', tenant: 'acme', name: 'acme auditor' });
    acmeAdmin = await make({ role: 'admin', tenant: 'acme', name: 'acme admin' });
  });
  afterAll(() => server?.stop());

  it('records each 401 and cross-tenant 403 with what, why, whence and which key, never the secret', async () => {
    const from = '127.0.0.7';
    const refused = [
      await requestFrom(server.url, from, '/v1/decisions', {}),
      await requestFrom(server.url, from, '/v1/decisions/dec-1', {
        authorization: `Bearer dlk_${acmeKey.id}_${WRONG_SECRET}`,
      }),
      await requestFrom(server.url, from, '/v1/keys', {
        authorization: `Bearer not-the-admin-key-${WRONG_SECRET}`,
      }),
      await requestFrom(server.url, from, '/v1/decisions?q=private+words', {
        authorization: `Bearer ${acmeKey.key}`,
        'x-declog-tenant': 'default',
      }),
    ];
    expect(refused).toEqual([401, 401, 401, 403]);

    const entries = (await securityTrail(server.url)).filter((e) => e.client?.address === from);
    expect(entries).toEqual([
      expect.objectContaining({
        refusal: 'unauthorized',
        status: 401,
        method: 'GET',
        route: '/v1/decisions',
        message: expect.stringContaining('send an API key'),
      }),
      expect.objectContaining({
        refusal: 'unauthorized',
        route: '/v1/decisions/:id',
        key_id: acmeKey.id,
      }),
      // Any text that is not a key of declog's form is tried as the bootstrap admin key.
      expect.objectContaining({ refusal: 'unauthorized', route: '/v1/keys', key_id: 'admin' }),
      expect.objectContaining({
        refusal: 'cross_tenant',
        status: 403,
        key_id: acmeKey.id,
        tenant: 'default',
        message: expect.stringContaining('acme'),
      }),
    ]);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(WRONG_SECRET);
    expect(text, 'a query string').not.toContain('private');
    expect(text, 'a path value').not.toContain('dec-1');
    const stored = await databaseText(store);
    expect(stored).not.toContain(WRONG_SECRET);
    // Recorded in a log of its own, signed and verifiable like every other.
    const database = await openDatabase(store.location);
    try {
      const audit = await verifyLog(await database.log(SECURITY_LOG_ID));
      expect(audit).toMatchObject({ ok: true, keySource: 'log' });
      expect(audit.ok && audit.size).toBeGreaterThanOrEqual(4);
    } finally {
      await database.close();
    }
  });

  it('is read by admins of all tenants only, and its reads are in the access trail', async () => {
    const asAcmeAdmin = await request(server.url, '/v1/security-log', {
      headers: { authorization: `Bearer ${acmeAdmin.key}` },
    });
    expectApiError(asAcmeAdmin, 403, 'forbidden');
    const asAuditor = await request(server.url, '/v1/security-log', {
      headers: { authorization: `Bearer ${acmeKey.key}` },
    });
    expectApiError(asAuditor, 403, 'forbidden');
    const trail = await request<{ items: Json[] }>(
      server.url,
      '/v1/access-log?action=security-log.query',
    );
    expect(trail.body.items.length).toBeGreaterThan(0);
    expect(trail.body.items[0]).toMatchObject({ route: '/v1/security-log', status: 200 });
  });

  it('records at most 10 refusals a minute one by one per address, and counts the rest', async () => {
    const from = '127.0.0.8';
    const statuses = [];
    for (let i = 0; i < 30; i += 1) {
      statuses.push(
        await requestFrom(
          server.url,
          from,
          '/v1/events',
          { 'content-type': 'application/json' },
          'POST',
        ),
      );
    }
    // The address's failed authentications are limited too (10 a minute by default; one more
    // comes back every 6 s, which a slow machine may give it).
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(15);
    const one = (await securityTrail(server.url)).filter((e) => e.client?.address === from);
    expect(one.length, 'entries of the flooding address').toBeLessThanOrEqual(12);
    expect(one.length).toBeGreaterThanOrEqual(10);

    // The counts are recorded every minute, and when the server stops.
    await server.stop();
    server = await startServerOn(store);
    const after = (await securityTrail(server.url)).filter((e) => e.client?.address === from);
    const suppressed = after.filter((e) => e.refusal === 'suppressed');
    expect(suppressed).toHaveLength(1);
    const counted = Object.values(suppressed[0]?.counts ?? {}).reduce((a, b) => a + b, 0);
    expect(after.length - 1 + counted, 'every refusal recorded or counted').toBe(30);
    expect(suppressed[0]?.counts?.['auth_rate_limited']).toBeGreaterThan(0);
  });

  it('is printed by declog security-log, from the server or the database', async () => {
    const remote = await runCli(
      ['security-log', '--url', server.url, '--refusal', 'cross_tenant', '--json'],
      { cwd: store.cwd },
    );
    expect(remote.code, remote.stderr).toBe(0);
    const page = JSON.parse(remote.stdout) as SecurityPage;
    expect(page.items.map((e) => e.refusal)).toEqual(['cross_tenant']);
    const table = await runCli(['security-log', '--url', server.url, '--address', '127.0.0.7'], {
      cwd: store.cwd,
    });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^occurred_at +refusal +status +address +key_id +route +what$/m);
    expect(table.stdout).toMatch(
      /cross_tenant +403 +127\.0\.0\.7 +\S+ +GET \/v1\/decisions +tenant default:/,
    );
    const local = await runCli(
      ['security-log', ...store.args, '--address', '127.0.0.7', '--json'],
      {
        cwd: store.cwd,
      },
    );
    expect(local.code, local.stderr).toBe(0);
    expect((JSON.parse(local.stdout) as SecurityPage).items).toHaveLength(4);
  });
});
