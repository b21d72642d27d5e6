import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackChild, killChildProcesses } from '../helpers/child-processes.js';
import { decisionEvent } from '../helpers/event-factory.js';
import { ingestOk, withAuthorization } from '../helpers/http-api.js';
import { rawExchange, rawHeader } from '../helpers/raw-http.js';
import { CLI_PATH } from '../helpers/run-cli.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, testStore } from '../helpers/test-store.js';
import { waitFor } from '../helpers/wait-for.js';

// Answers that may carry personal data must not be cached or sniffed; errors of the HTTP
// layer itself have the API's error shape; the database's files are its owner's only.

const tmp = useTempDir('security-hygiene-http');
afterAll(killChildProcesses);

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerOn(await testStore(tmp, 'answers'));
  await ingestOk(server.url, [decisionEvent()]);
});
afterAll(() => server?.stop());

describe('every answer', () => {
  it('carries X-Content-Type-Options: nosniff and Cache-Control: no-store', async () => {
    const noKey = { headers: { authorization: '' } };
    const asked: [string, string, RequestInit][] = [
      ['GET', '/healthz', noKey],
      ['GET', '/readyz', noKey],
      ['GET', '/openapi.json', {}],
      ['GET', '/v1/decisions', {}],
      ['GET', '/v1/events?from=0&limit=1', {}],
      ['GET', '/v1/log/checkpoint', {}],
      ['GET', '/v1/decisions/no-such-decision', {}],
      ['GET', '/v1/no-such-route', {}],
      ['GET', '/v1/decisions', noKey],
      ['POST', '/v1/events', { headers: { 'content-type': 'text/plain' }, body: 'x' }],
    ];
    const seen: string[] = [];
    for (const [method, path, init] of asked) {
      const response = await fetch(`${server.url}${path}`, withAuthorization({ ...init, method }));
      await response.arrayBuffer();
      seen.push(
        `${method} ${path} ${response.status}: ${response.headers.get('x-content-type-options')}, ${response.headers.get('cache-control')}`,
      );
    }
    expect(seen.filter((line) => !line.endsWith(': nosniff, no-store'))).toEqual([]);
  });
});

describe('a request the HTTP parser refuses', () => {
  it.each([
    ['a malformed request line', 'GARBAGE\r\n\r\n', 400, 'malformed_request'],
    [
      'a malformed header',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      400,
      'malformed_request',
    ],
    [
      'an HTTP/1.1 request without Host',
      'GET /v1/decisions HTTP/1.1\r\n\r\n',
      400,
      'malformed_request',
    ],
    [
      'headers over 16 KiB',
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
  ])(
    'is answered in the error shape for %s, and the connection closed',
    async (_what, bytes, status, code) => {
      const answer = await rawExchange(server.url, bytes);
      expect(answer.status, answer.text.slice(0, 300)).toBe(status);
      expect(answer.json).toEqual({
        error: { code, message: expect.any(String), details: [] },
      });
      expect(rawHeader(answer.text, 'content-type')).toMatch(/^application\/json/);
      expect(rawHeader(answer.text, 'x-content-type-options')).toBe('nosniff');
      expect(rawHeader(answer.text, 'connection')).toBe('close');
    },
  );
});

describe('the files of a SQLite database', () => {
  it('are created 0600, its -wal and -shm and its key files too, whatever the umask', async () => {
    const dir = tmp.file('modes');
    const db = `${dir}.db`;
    // Started under the most common umask, which leaves new files readable by everyone.
    const child = spawn(
      'sh',
      ['-c', `umask 022 && exec "${process.execPath}" "${CLI_PATH}" serve --db "${db}" --port 0`],
      { cwd: tmp.path, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = trackChild(child);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    await waitFor('the server to serve', () => /declog serving (\S+)/.test(stdout), 15_000);
    const url = /declog serving (\S+)/.exec(stdout)?.[1] ?? '';
    await ingestOk(url, [decisionEvent({ subject: { id: 'subject-1' } })]);
    const modes = () =>
      Object.fromEntries(
        [db, `${db}-wal`, `${db}-shm`, `${db}.key`, `${db}.master-key`].map((file) => [
          file.slice(dir.length),
          (statSync(file).mode & 0o777).toString(8),
        ]),
      );
    const expected = {
      '.db': '600',
      '.db-wal': '600',
      '.db-shm': '600',
      '.db.key': '600',
      '.db.master-key': '600',
    };
    expect(modes(), 'while serving').toEqual(expected);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(statSync(db).mode & 0o777, 'after a clean stop').toBe(0o600);
  });
});
