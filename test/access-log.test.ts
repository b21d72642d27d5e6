import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent, uniqueId } from './helpers/event-factory.js';
import { runCli } from './helpers/run-cli.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { waitFor } from './helpers/wait-for.js';

// `declog serve` logs one JSON line per answered request on standard output (pino), with the
// request's id, which it also answers in X-Request-Id and records in the access trail.

const tmp = useTempDir('access-log');
afterAll(killChildProcesses);

let server: ServerProcess;
const AUTH = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

beforeAll(async () => {
  server = await startServer(['--db', tmp.file('log.db'), '--port', '0']);
});
afterAll(() => server?.stop());

type Line = Record<string, unknown>;

/** The access lines the server has logged so far. */
function accessLines(process: ServerProcess): Line[] {
  return process
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line)
    .filter((line) => line['msg'] === 'access');
}

/** The access line of the request of id `id`, once logged. */
async function lineOf(id: string): Promise<Line> {
  let found: Line | undefined;
  await waitFor(
    `the access line of ${id}`,
    () => (found = accessLines(server).find((l) => l['request_id'] === id)) !== undefined,
  );
  return found as Line;
}

describe('the access log', () => {
  it('logs method, route, status, latency, key id, tenant and request id, as JSON', async () => {
    const id = uniqueId('req');
    const subject = uniqueId('applicant');
    const response = await fetch(`${server.url}/v1/decisions?subject=${subject}`, {
      headers: { ...AUTH, 'x-request-id': id },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
    const line = await lineOf(id);
    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/v1/decisions',
      status: 200,
      key_id: 'admin',
      tenant: 'default',
      request_id: id,
    });
    expect(line['ms']).toEqual(expect.any(Number));
    expect(Date.parse(line['time'] as string)).not.toBeNaN();
    // The route's template, never the URL: its filters may be personal data.
    expect(server.stdout()).not.toContain(subject);
  });

  it('never logs API keys, bodies or personal data', async () => {
    const id = uniqueId('req');
    const event = decisionEvent({ subject: { id: uniqueId('person') } });
    const response = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify({ events: [event] }),
    });
    expect(response.status).toBe(200);
    expect(await lineOf(id)).toMatchObject({ method: 'POST', route: '/v1/events', status: 200 });
    const read = uniqueId('req');
    await fetch(`${server.url}/v1/decisions/${event.id}`, {
      headers: { ...AUTH, 'x-request-id': read },
    });
    expect(await lineOf(read)).toMatchObject({ route: '/v1/decisions/:id', status: 200 });
    const stdout = server.stdout();
    for (const secret of [TEST_ADMIN_KEY, event.id, event.subject?.id ?? '', 'Income ratio']) {
      expect(stdout, secret).not.toContain(secret);
    }
  });

  it('logs refusals and unknown paths, with no key id when none was accepted', async () => {
    const denied = uniqueId('req');
    await fetch(`${server.url}/v1/decisions`, { headers: { 'x-request-id': denied } });
    expect(await lineOf(denied)).toMatchObject({
      route: '/v1/decisions',
      status: 401,
      key_id: null,
      tenant: null,
    });
    const lost = uniqueId('req');
    await fetch(`${server.url}/v1/nowhere/${uniqueId('secret-id')}`, {
      headers: { 'x-request-id': lost },
    });
    expect(await lineOf(lost)).toMatchObject({ route: null, status: 404 });
    expect(server.stdout()).not.toContain('secret-id');
  });

  it('makes its own request id when the client sends none, or one that is not safe to log', async () => {
    for (const sent of [undefined, 'two words', 'a'.repeat(129), 'x\u00e9']) {
      const response = await fetch(`${server.url}/v1/decisions`, {
        headers: { ...AUTH, ...(sent === undefined ? {} : { 'x-request-id': sent }) },
      });
      const id = response.headers.get('x-request-id') ?? '';
      expect(id, String(sent)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
      expect((await lineOf(id))['request_id']).toBe(id);
    }
  });

  it('records the request id in the access trail', async () => {
    const id = uniqueId('req');
    await fetch(`${server.url}/v1/decisions?model=${uniqueId('m')}`, {
      headers: { ...AUTH, 'x-request-id': id },
    });
    const trail = (await (
      await fetch(`${server.url}/v1/access-log?action=decisions.query&limit=1000`, {
        headers: AUTH,
      })
    ).json()) as { items: Line[] };
    const entry = trail.items.find((item) => item['request_id'] === id);
    expect(entry).toMatchObject({ action: 'decisions.query', request_id: id, status: 200 });
  });
});

describe('serve --log-level', () => {
  it('silent logs no request; another level is refused, naming the levels', async () => {
    const quiet = await startServer([
      '--db',
      tmp.file('quiet.db'),
      '--port',
      '0',
      '--log-level',
      'silent',
    ]);
    const id = uniqueId('req');
    const response = await fetch(`${quiet.url}/v1/decisions`, {
      headers: { ...AUTH, 'x-request-id': id },
    });
    expect(response.headers.get('x-request-id')).toBe(id);
    await quiet.stop();
    expect(quiet.stdout()).not.toContain('{');

    const bad = await runCli(['serve', '--db', tmp.file('bad.db'), '--log-level', 'loud']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      "option '--log-level <level>' argument 'loud' is invalid. Allowed choices are fatal, error, warn, info, debug, trace, silent.",
    );
  });
});
