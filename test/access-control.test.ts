import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from 'declog';
import { actionEvent, annotationEvent, decisionEvent } from './helpers/event-factory.js';
import { expectApiError, request, type ApiResponse, type Json } from './helpers/http-api.js';
import type { ServerProcess } from './helpers/server-process.js';
import { startServerOn, testStore } from './helpers/test-store.js';
import { useTempDir } from './helpers/temp-dir.js';

const tmp = useTempDir('declog-access-');

type Role = 'producer' | 'reviewer' | 'auditor' | 'admin';

interface CreatedKey {
  readonly id: string;
  readonly key: string;
  readonly role: string;
  readonly tenant: string;
  readonly name: string;
}

interface CallOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly tenant?: string;
  readonly purpose?: string;
}

let server: ServerProcess;
/** Keys by tenant and role, made by the bootstrap admin (the test admin key). */
const keys: Record<string, Record<Role, CreatedKey>> = {};
let allTenantsAdmin: CreatedKey;

/** A request with `key` (none when null). */
function call(
  key: string | null,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<Json>> {
  const headers: Record<string, string> = { authorization: key === null ? '' : `Bearer ${key}` };
  if (options.tenant !== undefined) headers['x-declog-tenant'] = options.tenant;
  if (options.purpose !== undefined) headers['x-declog-purpose'] = options.purpose;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return request(server.url, path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
}

async function createKey(body: Record<string, string>, by?: string): Promise<CreatedKey> {
  const answer = await call(by ?? process.env['DECLOG_ADMIN_KEY'] ?? '', '/v1/keys', {
    method: 'POST',
    body,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as unknown as CreatedKey;
}

const acmeDecision = decisionEvent({ id: 'loan-1', labels: { tenant: 'acme' } });
const betaDecision = decisionEvent({ id: 'loan-1', labels: { tenant: 'beta' } });
const acmeAction = actionEvent('loan-1', { id: 'act-1' });

beforeAll(async () => {
  server = await startServerOn(await testStore(tmp, 'access'));
  for (const tenant of ['acme', 'beta']) {
    keys[tenant] = {} as Record<Role, CreatedKey>;
    for (const role of ['producer', 'reviewer', 'auditor', 'admin'] as const) {
      (keys[tenant] as Record<Role, CreatedKey>)[role] = await createKey({
        role,
        tenant,
        name: `${role}@${tenant}`,
      });
    }
  }
  allTenantsAdmin = await createKey({ role: 'admin', tenant: '*', name: 'ops' });
  const post = (tenant: string, events: unknown[]) =>
    call(keys[tenant]?.producer.key ?? '', '/v1/events', { method: 'POST', body: { events } });
  expect((await post('acme', [acmeDecision, acmeAction])).status).toBe(200);
  expect((await post('beta', [betaDecision])).status).toBe(200);
});
afterAll(() => server?.stop());

const key = (tenant: string, role: Role) => (keys[tenant] as Record<Role, CreatedKey>)[role].key;

/** Every route, how to call it, and the roles that may. */
const ROUTES: readonly { name: string; path: string; options?: CallOptions; roles: Role[] }[] = [
  {
    name: 'read a decision',
    path: '/v1/decisions/loan-1',
    roles: ['reviewer', 'auditor', 'admin'],
  },
  {
    name: 'read a decision with proofs',
    path: '/v1/decisions/loan-1?proof=true',
    roles: ['reviewer', 'auditor', 'admin'],
  },
  { name: 'query decisions', path: '/v1/decisions', roles: ['reviewer', 'auditor', 'admin'] },
  { name: 'read an action', path: '/v1/actions/act-1', roles: ['reviewer', 'auditor', 'admin'] },
  { name: 'read an entry', path: '/v1/events/0', roles: ['auditor', 'admin'] },
  { name: 'read entries', path: '/v1/events', roles: ['auditor', 'admin'] },
  { name: 'read the checkpoint', path: '/v1/log/checkpoint', roles: ['auditor', 'admin'] },
  {
    name: 'prove inclusion',
    path: '/v1/log/proof/inclusion?seq=0',
    roles: ['auditor', 'admin'],
  },
  {
    name: 'prove consistency',
    path: '/v1/log/proof/consistency?from=1&to=2',
    roles: ['auditor', 'admin'],
  },
  {
    name: 'read the verifier key',
    path: '/v1/log/key',
    roles: ['producer', 'reviewer', 'auditor', 'admin'],
  },
  {
    name: 'read the API document',
    path: '/openapi.json',
    roles: ['producer', 'reviewer', 'auditor', 'admin'],
  },
  { name: 'query the access trail', path: '/v1/access-log', roles: ['auditor', 'admin'] },
  { name: 'read access entries', path: '/v1/access-log/entries', roles: ['auditor', 'admin'] },
  { name: 'read an access entry', path: '/v1/access-log/entries/0', roles: ['auditor', 'admin'] },
  {
    name: 'read the access checkpoint',
    path: '/v1/access-log/checkpoint',
    roles: ['auditor', 'admin'],
  },
  {
    name: 'prove access inclusion',
    path: '/v1/access-log/proof/inclusion?seq=0',
    roles: ['auditor', 'admin'],
  },
  { name: 'read the masking policy', path: '/v1/policies/masking', roles: ['auditor', 'admin'] },
  {
    name: 'read the retention policy',
    path: '/v1/policies/retention',
    roles: ['auditor', 'admin'],
  },
  { name: 'plan retention', path: '/v1/retention/plan', roles: ['auditor', 'admin'] },
  { name: 'list legal holds', path: '/v1/holds', roles: ['auditor', 'admin'] },
  {
    name: 'set the retention policy',
    path: '/v1/policies/retention',
    // Empty: no limits, so the runs below remove nothing another test reads.
    options: { method: 'PUT', body: {} },
    roles: ['admin'],
  },
  {
    name: 'apply retention',
    path: '/v1/retention/apply',
    options: { method: 'POST' },
    roles: ['admin'],
  },
  { name: 'list keys', path: '/v1/keys', roles: ['admin'] },
  { name: 'list tenants', path: '/v1/tenants', roles: ['admin'] },
  {
    name: 'append a decision',
    path: '/v1/events',
    options: { method: 'POST', body: { events: [decisionEvent()] } },
    roles: ['producer', 'admin'],
  },
  {
    name: 'create a key',
    path: '/v1/keys',
    options: { method: 'POST', body: { role: 'producer', name: 'made in the matrix' } },
    roles: ['admin'],
  },
];

describe('access control: role × endpoint × tenant', () => {
  it.each(
    ROUTES.flatMap((route) =>
      (['producer', 'reviewer', 'auditor', 'admin'] as const).map((role) => ({ ...route, role })),
    ),
  )('$role: $name', async ({ path, options, roles, role }) => {
    const answer = await call(key('acme', role), path, options);
    if (roles.includes(role)) {
      expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBeLessThan(300);
    } else {
      const error = expectApiError(answer, 403, 'forbidden');
      expect(error.message).toMatch(
        new RegExp(`^an? ${role} (key cannot [^;]+; [a-z, ]+ can$|may only add annotations)`),
      );
    }
  });

  it('names what was refused and every role that may do it', async () => {
    const post = (role: Role, event: unknown) =>
      call(key('acme', role), '/v1/events', { method: 'POST', body: { events: [event] } });
    const events = expectApiError(await post('auditor', decisionEvent()), 403, 'forbidden');
    expect(events.message).toBe('an auditor key cannot post events; producer or admin can');
    const annotation = expectApiError(await post('reviewer', decisionEvent()), 403, 'forbidden');
    expect(annotation.details).toEqual([
      {
        index: 0,
        path: 'type',
        message:
          'a reviewer key cannot post decisions or outcomes (producer or admin can); it may post annotations, and override or uphold actions by itself',
      },
    ]);
    const read = expectApiError(
      await call(key('acme', 'producer'), '/v1/decisions'),
      403,
      'forbidden',
    );
    expect(read.message).toBe(
      'a producer key cannot read decisions and actions; reviewer, auditor or admin can',
    );
    const keys = expectApiError(await call(key('acme', 'auditor'), '/v1/keys'), 403, 'forbidden');
    expect(keys.message).toBe('an auditor key cannot manage keys and tenants; admin can');
  });

  it('answers 401 without a key, with a wrong key, a malformed header and a revoked key', async () => {
    expectApiError(await call(null, '/v1/decisions/loan-1'), 401, 'unauthorized');
    expectApiError(
      await call('dlk_nosuchkey_' + 'A'.repeat(43), '/v1/decisions'),
      401,
      'unauthorized',
    );
    expectApiError(await call('not-a-key', '/v1/decisions'), 401, 'unauthorized');
    const wrongSecret = key('acme', 'auditor').slice(0, -4) + 'AAAA';
    expectApiError(await call(wrongSecret, '/v1/decisions'), 401, 'unauthorized');
    const malformed = await request(server.url, '/v1/decisions', {
      headers: { authorization: `Basic ${key('acme', 'auditor')}` },
    });
    expectApiError(malformed, 401, 'unauthorized');

    const temporary = await createKey({ role: 'auditor', tenant: 'acme', name: 'temp' });
    expect((await call(temporary.key, '/v1/decisions')).status).toBe(200);
    const revoked = await call(key('acme', 'admin'), `/v1/keys/${temporary.id}`, {
      method: 'DELETE',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: temporary.id, revoked_at: expect.any(String) });
    expectApiError(await call(temporary.key, '/v1/decisions'), 401, 'unauthorized');
  });

  it('lets /healthz, /readyz and /openapi.json alone through without a key', async () => {
    expect((await call(null, '/healthz')).status).toBe(200);
    expect((await call(null, '/readyz')).status).toBe(200);
    const openapi = await call(null, '/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body['openapi']).toBe('3.1.0');
    expectApiError(await call(null, '/v1/log/key'), 401, 'unauthorized');
  });

  it('keeps tenants apart: each sees, counts and proves only its own events', async () => {
    const acme = await call(key('acme', 'auditor'), '/v1/decisions/loan-1');
    const beta = await call(key('beta', 'auditor'), '/v1/decisions/loan-1');
    expect((acme.body['decision'] as Json)['labels']).toEqual({ tenant: 'acme' });
    expect((beta.body['decision'] as Json)['labels']).toEqual({ tenant: 'beta' });
    expect(beta.body['actions']).toEqual([]);
    expectApiError(await call(key('beta', 'auditor'), '/v1/actions/act-1'), 404, 'not_found');

    const entries = await call(key('beta', 'auditor'), '/v1/events');
    const labels = (entries.body['items'] as { event: Json }[]).map((item) => item.event['labels']);
    expect(labels).not.toContainEqual({ tenant: 'acme' });
    const checkpoint = await call(key('beta', 'auditor'), '/v1/log/checkpoint');
    const size = Number(String(checkpoint.body).split('\n')[1]);
    expect(size).toBe((entries.body['items'] as unknown[]).length);
    expect(String(checkpoint.body).split('\n')[0]).toMatch(/\/tenant\/beta$/);
  });

  it('refuses a tenant key that names another tenant, whatever its role', async () => {
    for (const role of ['producer', 'reviewer', 'auditor', 'admin'] as const) {
      const answer = await call(key('acme', role), '/v1/decisions', { tenant: 'beta' });
      expect(expectApiError(answer, 403, 'forbidden').message).toContain('tenant acme only');
    }
    expect((await call(key('acme', 'auditor'), '/v1/decisions', { tenant: 'acme' })).status).toBe(
      200,
    );
  });

  it('lets a key of all tenants choose one by header, default first, unknown refused', async () => {
    const onBeta = await call(allTenantsAdmin.key, '/v1/decisions/loan-1', { tenant: 'beta' });
    expect((onBeta.body['decision'] as Json)['labels']).toEqual({ tenant: 'beta' });
    expectApiError(await call(allTenantsAdmin.key, '/v1/decisions/loan-1'), 404, 'not_found');
    expectApiError(
      await call(allTenantsAdmin.key, '/v1/decisions', { tenant: 'gamma' }),
      404,
      'tenant_not_found',
    );
    expectApiError(
      await call(allTenantsAdmin.key, '/v1/decisions', { tenant: 'Bad Name' }),
      400,
      'invalid_parameter',
    );
  });

  it('lets only an admin of all tenants make keys for other tenants or all tenants', async () => {
    const forBeta = await call(key('acme', 'admin'), '/v1/keys', {
      method: 'POST',
      body: { role: 'auditor', tenant: 'beta', name: 'x' },
    });
    expectApiError(forBeta, 403, 'forbidden');
    const forAll = await call(key('acme', 'admin'), '/v1/keys', {
      method: 'POST',
      body: { role: 'admin', tenant: '*', name: 'x' },
    });
    expectApiError(forAll, 403, 'forbidden');
    const auditorForAll = await call(allTenantsAdmin.key, '/v1/keys', {
      method: 'POST',
      body: { role: 'auditor', tenant: '*', name: 'x' },
    });
    expect(expectApiError(auditorForAll, 400, 'invalid_body').details).toEqual([
      { path: 'tenant', message: '"*" (all tenants) is for admin keys only' },
    ]);
    const gamma = await createKey(
      { role: 'producer', tenant: 'gamma', name: 'new tenant' },
      allTenantsAdmin.key,
    );
    expect(gamma.tenant).toBe('gamma');
    const tenants = await call(allTenantsAdmin.key, '/v1/tenants');
    expect((tenants.body['tenants'] as { name: string }[]).map((t) => t.name)).toEqual(
      expect.arrayContaining(['acme', 'beta', 'default', 'gamma']),
    );
    const own = await call(key('acme', 'admin'), '/v1/tenants');
    expect((own.body['tenants'] as { name: string }[]).map((t) => t.name)).toEqual(['acme']);
  });

  it('names every bad field of a key request', async () => {
    const answer = await call(allTenantsAdmin.key, '/v1/keys', {
      method: 'POST',
      body: { role: 'owner', name: '', tenant: 'Not OK', colour: 'red' },
    });
    const error = expectApiError(answer, 400, 'invalid_body');
    expect(error.details.map((d) => d.path).sort()).toEqual(['colour', 'name', 'role', 'tenant']);
  });

  it("lists a tenant admin's keys without secrets, and hides other tenants' keys", async () => {
    const listed = await call(key('acme', 'admin'), '/v1/keys');
    const listedKeys = listed.body['keys'] as Json[];
    expect(listedKeys.every((k) => k['tenant'] === 'acme')).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(key('acme', 'producer'));
    expect(Object.keys(listedKeys[0] ?? {}).sort()).toEqual(
      ['created_at', 'id', 'name', 'revoked_at', 'role', 'tenant'].sort(),
    );
    const betaKeyId = (keys['beta'] as Record<Role, CreatedKey>).producer.id;
    expectApiError(
      await call(key('acme', 'admin'), `/v1/keys/${betaKeyId}`, { method: 'DELETE' }),
      404,
      'key_not_found',
    );
  });
});

describe('reviewer annotations', () => {
  it("records the key's principal as the author, and refuses another author or other events", async () => {
    const reviewer = key('acme', 'reviewer');
    const unsigned = annotationEvent('loan-1', { text: 'Looks right' });
    const { author: _author, ...withoutAuthor } = unsigned.annotation;
    const posted = await call(reviewer, '/v1/events', {
      method: 'POST',
      body: { events: [{ ...unsigned, annotation: withoutAuthor }] },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const chain = await call(reviewer, '/v1/decisions/loan-1');
    const annotations = chain.body['annotations'] as { id: string; annotation: Json }[];
    expect(annotations.find((a) => a.id === unsigned.id)?.annotation['author']).toBe(
      'reviewer@acme',
    );

    const impostor = await call(reviewer, '/v1/events', {
      method: 'POST',
      body: {
        events: [annotationEvent('loan-1', { annotation: { text: 'x', author: 'someone-else' } })],
      },
    });
    expect(expectApiError(impostor, 403, 'forbidden').details).toEqual([
      {
        index: 0,
        path: 'annotation.author',
        message: 'must be this key\'s principal "reviewer@acme" or absent',
      },
    ]);
    const decision = await call(reviewer, '/v1/events', {
      method: 'POST',
      body: { events: [decisionEvent()] },
    });
    expectApiError(decision, 403, 'forbidden');
  });
});

describe('the access trail', () => {
  it('records who read what, with filters, counts and the stated purpose', async () => {
    const reviewer = (keys['acme'] as Record<Role, CreatedKey>).reviewer;
    await call(reviewer.key, '/v1/decisions/loan-1', { purpose: 'complaint #42' });
    await call(reviewer.key, '/v1/decisions?model=credit-scorer&limit=5');
    const trail = await call(key('acme', 'auditor'), `/v1/access-log?actor=${reviewer.id}`);
    const items = trail.body['items'] as Json[];
    const read = items.find(
      (e) => e['action'] === 'decisions.read' && e['purpose'] === 'complaint #42',
    );
    expect(read).toMatchObject({
      type: 'access',
      actor: { key_id: reviewer.id, name: 'reviewer@acme', role: 'reviewer' },
      method: 'GET',
      route: '/v1/decisions/:id',
      target: { id: 'loan-1' },
      status: 200,
      records: expect.any(Number),
    });
    expect(read?.['records']).toBeGreaterThanOrEqual(2);
    const query = items.find(
      (e) => e['action'] === 'decisions.query' && (e['filters'] as Json | undefined)?.['model'],
    );
    expect(query).toMatchObject({
      filters: { model: 'credit-scorer', limit: '5' },
      records: expect.any(Number),
    });
    const byName = await call(
      key('acme', 'auditor'),
      '/v1/access-log?actor=reviewer%40acme&action=decisions.query',
    );
    expect((byName.body['items'] as Json[]).every((e) => e['action'] === 'decisions.query')).toBe(
      true,
    );
    expect((byName.body['items'] as Json[]).length).toBeGreaterThan(0);
  });

  it('keeps each tenant its own trail', async () => {
    const betaTrail = await call(key('beta', 'auditor'), '/v1/access-log?limit=1000');
    const actors = (betaTrail.body['items'] as { actor: { name: string } }[]).map(
      (e) => e.actor.name,
    );
    expect(actors.some((name) => name.endsWith('@acme'))).toBe(false);
  });

  it('records refusals for want of a role', async () => {
    await call(key('acme', 'producer'), '/v1/decisions/loan-1');
    const trail = await call(key('acme', 'auditor'), '/v1/access-log?action=denied');
    expect(trail.body['items']).toContainEqual(
      expect.objectContaining({
        status: 403,
        route: '/v1/decisions/:id',
        actor: expect.objectContaining({ role: 'producer' }),
      }),
    );
  });

  it('has an entry for every endpoint of the API document that reads data', async () => {
    const paths = Object.keys(
      (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths,
    );
    const reads = paths.filter(
      (path) =>
        (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths[path]?.[
          'get'
        ] !== undefined &&
        !['/healthz', '/readyz', '/openapi.json', '/v1/log/key', '/v1/me'].includes(path),
    );
    expect(reads.length).toBeGreaterThan(10);
    const concrete: Record<string, string> = {
      '/v1/decisions/{id}': '/v1/decisions/loan-1',
      '/v1/actions/{id}': '/v1/actions/act-1',
      '/v1/events/{seq}': '/v1/events/0',
      '/v1/access-log/entries/{seq}': '/v1/access-log/entries/0',
      '/v1/log/proof/inclusion': '/v1/log/proof/inclusion?seq=0',
      '/v1/log/proof/consistency': '/v1/log/proof/consistency?from=1&to=2',
      '/v1/access-log/proof/inclusion': '/v1/access-log/proof/inclusion?seq=0',
      '/v1/access-log/proof/consistency': '/v1/access-log/proof/consistency?from=1&to=2',
      '/v1/security-log/entries/{seq}': '/v1/security-log/entries/0',
      '/v1/security-log/proof/inclusion': '/v1/security-log/proof/inclusion?seq=0',
      '/v1/security-log/proof/consistency': '/v1/security-log/proof/consistency?from=1&to=2',
      '/v1/models/{name}/versions/{version}': '/v1/models/credit-scorer/versions/1.4.0',
      '/v1/analyses/drift': '/v1/analyses/drift?model=credit-scorer&reference_version=1.4.0',
      '/v1/analyses/performance': '/v1/analyses/performance?model=credit-scorer&positive=repaid',
      '/v1/analyses/fairness':
        '/v1/analyses/fairness?model=credit-scorer&cohort=region&positive=approve',
      '/v1/analyses/anomalies':
        '/v1/analyses/anomalies?model=credit-scorer&metric=volume&from=2026-03-01T00:00:00Z',
    };
    // Two refusals, so that the security trail has entries to prove.
    for (let i = 0; i < 2; i += 1) {
      const across = await call(key('acme', 'auditor'), '/v1/decisions', { tenant: 'beta' });
      expect(across.status).toBe(403);
    }
    const admin = (keys['acme'] as Record<Role, CreatedKey>).admin;
    for (const path of reads) {
      const purpose = `completeness ${path}`;
      // The security trail is read by admins of all tenants only, here acting on acme.
      const answer = path.startsWith('/v1/security-log')
        ? await call(allTenantsAdmin.key, concrete[path] ?? path, { purpose, tenant: 'acme' })
        : await call(admin.key, concrete[path] ?? path, { purpose });
      expect(answer.status, `${path}: ${JSON.stringify(answer.body).slice(0, 200)}`).toBe(200);
    }
    const trail = await call(allTenantsAdmin.key, '/v1/access-log?limit=1000', { tenant: 'acme' });
    const purposes = (trail.body['items'] as Json[]).map((e) => e['purpose']);
    for (const path of reads) expect(purposes, path).toContain(`completeness ${path}`);
  });
});
