// The dashboard as declog serve ships it: pages answer index.html under a strict
// Content-Security-Policy, hashed files are cached for good and compressed, and nothing of the
// API is ever answered with HTML. Also GET /v1/me, which the dashboard signs in with.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP } from '../packages/server/src/http/dashboard-routes.js';
import { loadDashboardAssets } from '../packages/server/src/http/dashboard-assets.js';
import { generateSigner } from '@declog/core';
import { openDatabase, serve } from 'declog';
import { openLogIdentity } from '../packages/server/src/services/ledger/open-log-identity.js';
import { TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { request } from './helpers/http-api.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore } from './helpers/test-store.js';

const tmp = useTempDir('declog-dashboard-http-');
let server: ServerProcess;

beforeAll(async () => {
  server = await startServerOn(await testStore(tmp, 'dashboard'));
});
afterAll(async () => {
  await server?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });

async function scriptOfIndex(): Promise<string> {
  const html = await (await get('/')).text();
  const src = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)">/.exec(html)?.[1];
  expect(src, html).toBeDefined();
  return src!;
}

describe('the dashboard pages', () => {
  it('answers every page with index.html, revalidated, under the strict policy', async () => {
    for (const path of ['/', '/decisions', '/decisions/loan-1', '/access', '/models/credit']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const html = await response.text();
      expect(html).toContain('<div id="root"></div>');
      // No inline script or style: everything the page runs comes from /assets/.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|style="/);
    }
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe');
  });

  it('caches hashed files for good, compresses them, and answers 304 to their ETag', async () => {
    const src = await scriptOfIndex();
    const plain = await get(src, { 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = Buffer.from(await plain.arrayBuffer());
    const etag = plain.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);

    const br = await fetch(`${server.url}${src}`, { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    // fetch decodes for us; compare the decoded bytes, and check the size shipped.
    expect(Buffer.from(await br.arrayBuffer()).equals(body)).toBe(true);
    const raw = await import('node:http').then(
      (http) =>
        new Promise<Buffer>((resolve, reject) => {
          http
            .get(`${server.url}${src}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('end', () => resolve(Buffer.concat(chunks)));
            })
            .on('error', reject);
        }),
    );
    expect(gunzipSync(raw).equals(body)).toBe(true);
    // The JavaScript of the first page, compressed, stays well under 200 KB.
    expect(raw.length).toBeLessThan(200 * 1024);

    const again = await get(src, { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('answers JSON 404s, never HTML, for unknown files and API paths', async () => {
    for (const path of [
      '/assets/nothing.js',
      '/v1/decision',
      '/decisions/a/b',
      '/index.html.bak',
    ]) {
      const response = await get(path, { authorization: `Bearer ${TEST_ADMIN_KEY}` });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(response.headers.get('content-security-policy'), path).toBeNull();
    }
  });

  it('reads no file outside the build, whatever the path says', async () => {
    for (const path of ['/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/index.html']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('"name"');
    }
  });
});

describe('a declog built without its dashboard', () => {
  it('answers its pages with a JSON 404 that says so, and serves the API', async () => {
    const store = await testStore(tmp, 'no-dashboard');
    const database = await openDatabase(store.location);
    const identity = await openLogIdentity(
      await database.log('default'),
      'dashboard.test/log',
      generateSigner('dashboard.test/log').signerKey,
    );
    const running = await serve({
      database,
      identity,
      host: '127.0.0.1',
      port: 0,
      adminKey: TEST_ADMIN_KEY,
      dashboard: null,
    });
    try {
      for (const path of ['/', '/decisions/loan-1', '/assets/index.js']) {
        const answer = await request<{ error: { code: string; message: string } }>(
          running.url,
          path,
        );
        expect(answer.status, path).toBe(404);
        expect(answer.body.error.code).toBe('route_not_found');
      }
      const page = await request<{ error: { message: string } }>(running.url, '/');
      expect(page.body.error.message).toContain('built without its dashboard');
      expect((await request(running.url, '/v1/me')).status).toBe(200);
    } finally {
      await running.close(); // closes the database too
    }
  });

  it('loads nothing from a folder without index.html', () => {
    const dir = tmp.file('empty-web');
    mkdirSync(dir);
    writeFileSync(`${dir}/stray.js`, 'x');
    expect(loadDashboardAssets(dir)).toBeNull();
  });
});

describe('GET /v1/me', () => {
  it('names the key, its role and the tenant it acts on', async () => {
    const created = await request<{ key: string; id: string }>(server.url, '/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'reviewer', tenant: 'acme', name: 'rita@acme' }),
    });
    expect(created.status).toBe(201);
    const me = await request(server.url, '/v1/me', {
      headers: { authorization: `Bearer ${created.body.key}` },
    });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      key_id: created.body.id,
      name: 'rita@acme',
      role: 'reviewer',
      tenant: 'acme',
      all_tenants: false,
    });
    const admin = await request(server.url, '/v1/me', {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'x-declog-tenant': 'acme' },
    });
    expect(admin.body).toMatchObject({ role: 'admin', tenant: 'acme', all_tenants: true });
  });

  it('refuses a request without a key or with an unknown one', async () => {
    expect((await request(server.url, '/v1/me', { headers: { authorization: '' } })).status).toBe(
      401,
    );
    const unknown = await request(server.url, '/v1/me', {
      headers: { authorization: 'Bearer dlk_not-a-key-of-this-server-000000' },
    });
    expect(unknown.status).toBe(401);
  });
});
