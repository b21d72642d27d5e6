// Lints the OpenAPI document the server serves (`GET /openapi.json`), or the document in the
// file named by the first argument (the tests plant broken ones), with @redocly/cli and the
// rules of redocly.yaml: every warning of its recommended set fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let file = process.argv[2];
let dir;
if (file === undefined) {
  // Built by `npm run build`, as the server serves it.
  const { openApiDocument } = await import('../packages/server/dist/http/openapi-document.js');
  dir = mkdtempSync(join(tmpdir(), 'declog-openapi-'));
  file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
}
const result = spawnSync(
  join(root, 'node_modules/.bin/redocly'),
  ['lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'stylish'],
  {
    encoding: 'utf8',
    // No telemetry and no update check: a test run sends nothing anywhere.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
// Only the findings and the verdict: the linter's banners say nothing about the document.
const output = `${result.stdout}\n${result.stderr}`
  .split('\n')
  .filter((line) => /^\s+\d+:\d+\s|error|warning|valid/i.test(line) && !/[║╔╚]/.test(line))
  .join('\n');
if (result.status !== 0) {
  console.error(output || result.error?.message || 'redocly lint failed');
  process.exit(1);
}
console.log('openapi: the served document passes redocly lint (recommended-strict)');
