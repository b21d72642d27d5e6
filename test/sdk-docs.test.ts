import { existsSync, readFileSync } from 'node:fs';
import { DECISION_LOG_ERROR_CODES } from '@declog/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH, TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { runCli } from './helpers/run-cli.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { runScript } from './sdk/run-script.js';

// docs/sdk.md kept true to the code: its error codes, its options and its example.

const doc = readFileSync(new URL('../docs/sdk.md', import.meta.url), 'utf8');
const section = (title: string) => doc.split(`\n## ${title}\n`)[1]?.split('\n## ')[0] ?? '';
const optionsSource = readFileSync(
  new URL('../packages/sdk/src/decision-log-options.ts', import.meta.url),
  'utf8',
);
const QUICKSTART = new URL('../docs/examples/sdk-quickstart.mjs', import.meta.url);
const EMBEDDED = new URL('../docs/examples/sdk-embedded.mjs', import.meta.url);

describe('docs/sdk.md', () => {
  it('lists every error code of the SDK, and no other', () => {
    const documented = [...section('Errors').matchAll(/^\| `([a-z_]+)` +\|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...DECISION_LOG_ERROR_CODES].sort());
  });

  it('describes every option of createDecisionLog, and no other', () => {
    const documented = [...section('Options').matchAll(/^\| `([A-Za-z]+)` +\|/gm)].map((m) => m[1]);
    const declared = [...optionsSource.matchAll(/^ {2}readonly (\w+)\?:/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...declared].sort());
  });

  it('shows examples/sdk-quickstart.mjs as it is', () => {
    const block = /```js\n([\s\S]*?)```/.exec(section('The two lines'))?.[1];
    expect(block).toBe(readFileSync(QUICKSTART, 'utf8'));
  });

  it('shows examples/sdk-embedded.mjs as it is', () => {
    const block = /```js\n([\s\S]*?)```/.exec(section('Embedded mode'))?.[1];
    expect(block).toBe(readFileSync(EMBEDDED, 'utf8'));
  });
});

describe('docs/examples/sdk-embedded.mjs', () => {
  const tmp = useTempDir('sdk-docs-embedded');

  it('logs a decision and its outcome into a database file, read back by declog get --db', async () => {
    const db = tmp.file('declog.db');
    const result = await runScript(readFileSync(EMBEDDED, 'utf8'), { DECLOG_DB: db });
    expect(result.code, result.stderr).toBe(0);
    const id = result.stdout.trim();
    const got = await runCli(['get', id, '--db', db, '--json']);
    expect(got.code, got.stderr).toBe(0);
    const chain = JSON.parse(got.stdout) as {
      decision: { input: { features: { email: string } }; personal?: { fields: string[] } };
      outcomes: unknown[];
    };
    expect(chain.outcomes.length).toBe(1);
    // Sealed in the file under the master key made beside it, opened again by the CLI.
    expect(chain.decision.input.features.email).toBe('ann@example.com');
    expect(chain.decision.personal?.fields).toEqual(['/input/features']);
    expect(existsSync(`${db}.master-key`)).toBe(true);
  });
});

describe('docs/examples/sdk-quickstart.mjs', () => {
  const tmp = useTempDir('sdk-docs');
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(['--db', tmp.file('log.db'), '--port', '0']);
  });
  afterAll(() => server.stop());

  it('logs a decision with its action, outcome and note', async () => {
    const result = await runScript(readFileSync(QUICKSTART, 'utf8'), {
      DECLOG_URL: server.url,
      DECLOG_API_KEY: TEST_ADMIN_KEY,
    });
    expect(result.code, result.stderr).toBe(0);
    const id = result.stdout.trim();
    const response = await fetch(`${server.url}/v1/decisions/${id}`, { headers: ADMIN_AUTH });
    expect(response.status).toBe(200);
    const chain = (await response.json()) as Record<string, unknown[]>;
    expect(
      [chain['actions'], chain['outcomes'], chain['annotations']].map((l) => l?.length),
    ).toEqual([1, 1, 1]);
  });
});
