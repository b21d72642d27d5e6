import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSigner, parseSignerKey } from '@declog/core';
import { openApiDocument, openSqliteStore } from 'declog';
import { appOnStore } from '../packages/server/src/services/ledger/fixtures/app-on-store.js';

// The routes are registered in the HTTP layer's files: build-app.ts and routes/*.ts.
const httpDir = new URL('../packages/server/src/http/', import.meta.url);
const source = [
  readFileSync(new URL('build-app.ts', httpDir), 'utf8'),
  ...readdirSync(new URL('routes/', httpDir))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => readFileSync(new URL(`routes/${name}`, httpDir), 'utf8')),
].join('\n');

describe('the OpenAPI document', () => {
  const document = openApiDocument() as { openapi: string; paths: Record<string, object> };
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );

  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes every route the server registers, and only those', () => {
    const registered = [
      ...source.matchAll(/app\.(get|post|put|delete)(?:<[^>]*>)?\(\s*'([^']+)'/g),
    ].map(([, method, path]) => `${method!.toUpperCase()} ${path!.replace(/:(\w+)/g, '{$1}')}`);
    // Tenant policies are registered by routes/policy-routes.ts: GET, PUT, DELETE each.
    for (const [, name] of source.matchAll(/policyRoutes\([^{]*\{\s*name: '([^']+)'/g)) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        registered.push(`${method} /v1/policies/${name!}`);
      }
    }
    expect(registered.length).toBeGreaterThan(5);
    expect([...registered].sort()).toEqual([...documented].sort());
  });

  it('names only routes the app answers', async () => {
    const store = openSqliteStore(':memory:');
    const { signerKey, verifierKey } = generateSigner('test.example/log');
    const parsed = parseSignerKey(signerKey);
    if (!parsed.ok) throw new Error(parsed.reason);
    const app = await appOnStore(store, {
      origin: 'test.example/log',
      signer: parsed.signer,
      verifierKey,
    });
    for (const entry of documented) {
      const [method, path] = entry.split(' ') as ['GET' | 'POST' | 'PUT' | 'DELETE', string];
      expect(app.hasRoute({ method, url: path.replace(/\{(\w+)\}/g, ':$1') }), entry).toBe(true);
    }
    await app.close();
    await store.close();
  });
});
