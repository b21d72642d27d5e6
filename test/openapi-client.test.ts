import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { decisionEvent, uniqueId } from './helpers/event-factory.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore } from './helpers/test-store.js';

// The served /openapi.json is usable as it is: a typed client generated from it (with
// openapi-typescript, for openapi-fetch) type-checks against calls a user would write, refuses
// a call the API would refuse, and talks to the real server. The linter runs in npm test.

const tmp = useTempDir('openapi-client');
const REPO = new URL('..', import.meta.url).pathname;
const FETCH_CLIENT = join(REPO, 'node_modules/openapi-fetch');

/** A user's client code, written against the generated `paths`. */
const CLIENT = `
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

export async function run(baseUrl: string, key: string, event: object, model: string) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: 'Bearer ' + key } });
  const posted = await client.POST('/v1/events', {
    body: { events: [event as paths['/v1/events']['post']['requestBody']['content']['application/json']['events'][number]] },
  });
  const statuses: ('created' | 'duplicate')[] = posted.data?.results.map((r) => r.status) ?? [];
  const page = await client.GET('/v1/decisions', { params: { query: { model, limit: 10 } } });
  const ids: string[] = page.data?.items.map((decision) => decision.id) ?? [];
  const refused = await client.GET('/v1/decisions', { params: { query: { cursor: 'nope' } } });
  const code: string | undefined = refused.error?.error.code;
  const health = await client.GET('/healthz');
  return { statuses, ids, code, health: health.data?.status, next: page.data?.next_cursor };
}

export function misuse(client: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error limit is a number
  void client.GET('/v1/decisions', { params: { query: { limit: 'ten' } } });
  // @ts-expect-error no such route
  void client.GET('/v1/decision');
  // @ts-expect-error the body holds events
  void client.POST('/v1/events', { body: { event: {} } });
}
`;

let server: ServerProcess;
let document: unknown;

beforeAll(async () => {
  server = await startServerOn(await testStore(tmp, 'client'));
  // Read without a key, as a generator would.
  const served = await fetch(`${server.url}/openapi.json`);
  expect(served.status).toBe(200);
  document = await served.json();
});
afterAll(() => server?.stop());

/** Type-checks `files` (strict), with openapi-fetch resolved from the repository. */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    paths: { 'openapi-fetch': [FETCH_CLIENT] },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('a typed client generated from /openapi.json', () => {
  it('type-checks, and calls the server', async () => {
    const schema = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
    writeFileSync(tmp.file('schema.d.ts'), schema);
    writeFileSync(tmp.file('client.ts'), CLIENT);
    expect(typeErrors([tmp.file('client.ts')])).toEqual([]);
    // Every operation is a named one.
    expect(schema).toContain('listDecisions: {');
    expect(schema).toContain('postEvents: {');

    const js = ts
      .transpileModule(CLIENT, { compilerOptions: { module: ts.ModuleKind.ESNext } })
      .outputText.replace(
        "from 'openapi-fetch'",
        `from '${pathToFileURL(join(FETCH_CLIENT, 'dist/index.mjs')).href}'`,
      );
    writeFileSync(tmp.file('client.mjs'), js);
    const { run } = (await import(pathToFileURL(tmp.file('client.mjs')).href)) as {
      run: (url: string, key: string, event: object, model: string) => Promise<unknown>;
    };
    const model = uniqueId('typed-client');
    const event = decisionEvent({ model: { name: model, version: '1.0.0' } });
    expect(await run(server.url, TEST_ADMIN_KEY, event, model)).toEqual({
      statuses: ['created'],
      ids: [event.id],
      code: 'invalid_query',
      health: 'ok',
      next: null,
    });
  });

  it('refuses what the API refuses, at compile time', () => {
    // Without its @ts-expect-error comments, each misuse is a type error.
    const unguarded = CLIENT.replaceAll(/^\s*\/\/ @ts-expect-error.*$/gm, '');
    writeFileSync(tmp.file('unguarded.ts'), unguarded);
    expect(typeErrors([tmp.file('unguarded.ts')])).toHaveLength(3);
  });

  it('is checked by the linter in npm test, which fails on a document without operationIds', () => {
    const linted = spawnSync('node', [join(REPO, 'scripts/lint-openapi.mjs')], {
      encoding: 'utf8',
    });
    expect(linted.status, linted.stderr).toBe(0);
    const broken = JSON.parse(JSON.stringify(document)) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    delete broken.paths['/v1/decisions']?.['get']?.operationId;
    writeFileSync(tmp.file('broken.json'), JSON.stringify(broken));
    const failed = spawnSync(
      'node',
      [join(REPO, 'scripts/lint-openapi.mjs'), tmp.file('broken.json')],
      {
        encoding: 'utf8',
      },
    );
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('operation-operationId');
  });
});
