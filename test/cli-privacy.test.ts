import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent } from './helpers/event-factory.js';
import { request, type Json } from './helpers/http-api.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore, type TestStore } from './helpers/test-store.js';

// `declog erase` and `declog holds`, through the built CLI against a real server (which seals
// the personal data) and directly on its database while the server runs.

const tmp = useTempDir('cli-privacy');
afterAll(killChildProcesses);

let store: TestStore;
let server: ServerProcess;

const FEATURES = { employer: 'Quillfeather Mills 4471', income: 61000 };

interface HoldJson {
  readonly id: string;
  readonly kind: string;
  readonly target: string;
  readonly reason: string;
  readonly released_at: string | null;
}

interface AccessJson {
  readonly action: string;
  readonly method: string;
  readonly route: string;
  readonly actor: { readonly name: string };
  readonly target?: Record<string, string>;
  readonly records: number;
  readonly details?: Record<string, string>;
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

/** Posts a decision about `subject` whose features the server seals. */
async function postPersonal(id: string, subject: string, tenant?: string): Promise<void> {
  const posted = await request(server.url, '/v1/events', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(tenant !== undefined ? { 'x-declog-tenant': tenant } : {}),
    },
    body: JSON.stringify({
      events: [
        decisionEvent({
          id,
          subject: { id: subject },
          input: { ref: `s3://applications/${id}`, features: FEATURES },
        }),
      ],
    }),
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
}

/** The decision as a reader sees it through the API. */
async function readDecision(id: string, tenant?: string) {
  const read = await request<{ decision: Json & { input: Json; personal: Json } }>(
    server.url,
    `/v1/decisions/${id}`,
    tenant !== undefined ? { headers: { 'x-declog-tenant': tenant } } : {},
  );
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  return read.body.decision;
}

async function accessEntries(query: string): Promise<AccessJson[]> {
  const trail = await request<{ items: AccessJson[] }>(server.url, `/v1/access-log?${query}`);
  expect(trail.status, JSON.stringify(trail.body)).toBe(200);
  return trail.body.items;
}

function placeHold(target: readonly string[], kind: string, id: string, reason: string) {
  return cli([
    'holds',
    'place',
    ...target,
    '--kind',
    kind,
    '--target',
    id,
    '--reason',
    reason,
    '--json',
  ]);
}

beforeAll(async () => {
  store = await testStore(tmp, 'privacy');
  server = await startServerOn(store);
});

describe('declog erase over --url', () => {
  it("destroys the subject's key: reads show the decision erased; a repeat has nothing left", async () => {
    await postPersonal('url-1', 'subject/with space');
    expect((await readDecision('url-1')).input['features']).toEqual(FEATURES);

    const text = expectOk(await cli(['erase', 'subject/with space', '--url', server.url]));
    const said =
      /^erased subject subject\/with space at (\S+) by (.+): key destroyed, 1 sealed record\(s\) shredded$/m.exec(
        text,
      );
    expect(said, text).not.toBeNull();
    const [, at, by] = said ?? [];

    const decision = await readDecision('url-1');
    expect(decision.input).toEqual({ ref: 's3://applications/url-1' });
    expect(decision.personal).toMatchObject({ erased: true, erased_at: at, erased_by: by });

    const again = JSON.parse(
      expectOk(await cli(['erase', 'subject/with space', '--url', server.url, '--json'])),
    ) as Json;
    expect(again).toEqual({
      subject: 'subject/with space',
      erased_at: at,
      erased_by: by,
      key_destroyed: false,
      records_shredded: 0,
      access_details_deleted: 0,
    });
    expect(expectOk(await cli(['erase', 'subject/with space', '--url', server.url]))).toBe(
      `subject subject/with space already erased at ${at} by ${by}; nothing left to shred\n`,
    );

    const erasures = await accessEntries('action=subjects.erase');
    expect(erasures.map((e) => [e.target?.['id'], e.records])).toEqual([
      ['subject/with space', 1],
      ['subject/with space', 0],
      ['subject/with space', 0],
    ]);
  });

  it('is refused while a hold covers the subject, naming the hold, and works once released', async () => {
    const url = ['--url', server.url];
    await postPersonal('url-held-1', 'held-subject');
    const hold = JSON.parse(
      expectOk(await placeHold(url, 'subject', 'held-subject', 'complaint #42')),
    ) as HoldJson;
    expect(hold).toMatchObject({ kind: 'subject', target: 'held-subject', released_at: null });
    // A hold on a model covers every subject it decided about.
    const modelHold = JSON.parse(
      expectOk(await placeHold(url, 'model', 'credit-scorer', 'model audit')),
    ) as HoldJson;

    const table = expectOk(await cli(['holds', 'list', ...url, '--standing']));
    expect(table).toMatch(/^id +kind +target +placed_at +placed_by +released_at +reason$/m);
    expect(table).toMatch(
      new RegExp(`^${hold.id} +subject +held-subject +\\S+ +.+ +- +complaint #42$`, 'm'),
    );

    const refused = await cli(['erase', 'held-subject', ...url]);
    expectRefused(refused, 'legal_hold');
    expect(refused.stderr).toMatch(
      new RegExp(`^ {2}holds/${hold.id}: subject held-subject: complaint #42 \\(placed by `, 'm'),
    );
    expect(refused.stderr).toContain(`holds/${modelHold.id}: model credit-scorer: model audit`);
    expect((await readDecision('url-held-1')).input['features']).toEqual(FEATURES);

    expect(expectOk(await cli(['holds', 'release', hold.id, ...url]))).toMatch(
      new RegExp(
        `^released legal hold ${hold.id} on subject held-subject: complaint #42 at \\S+ by `,
      ),
    );
    expectOk(await cli(['holds', 'release', modelHold.id, ...url]));
    expectRefused(await cli(['holds', 'release', hold.id, ...url]), 'hold_not_found');
    const listed = JSON.parse(expectOk(await cli(['holds', 'list', ...url, '--json']))) as {
      holds: HoldJson[];
    };
    const released = listed.holds.find((h) => h.id === hold.id);
    expect(released?.released_at).toEqual(expect.any(String));
    const standing = JSON.parse(
      expectOk(await cli(['holds', 'list', ...url, '--standing', '--json'])),
    ) as { holds: HoldJson[] };
    expect(standing.holds.map((h) => h.id)).not.toContain(hold.id);

    expect(expectOk(await cli(['erase', 'held-subject', ...url]))).toMatch(
      /key destroyed, 1 sealed/,
    );
    expect((await readDecision('url-held-1')).personal).toMatchObject({ erased: true });
  });

  it('erases in the tenant named by --tenant only', async () => {
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
        'acme',
      ]),
    );
    await postPersonal('tenant-1', 'shared-subject');
    await postPersonal('tenant-1', 'shared-subject', 'acme');
    expectOk(await cli(['erase', 'shared-subject', '--url', server.url, '--tenant', 'acme']));
    expect((await readDecision('tenant-1', 'acme')).personal).toMatchObject({ erased: true });
    expect((await readDecision('tenant-1')).input['features']).toEqual(FEATURES);
  });
});

describe('declog erase and holds on the database', () => {
  it('places, refuses, releases and erases without the API, each change in the trail', async () => {
    const env = { USER: 'dpo1' };
    await postPersonal('local-1', 'local-subject');
    const hold = JSON.parse(
      expectOk(
        await cli(
          [
            'holds',
            'place',
            ...store.args,
            '--kind',
            'decision',
            '--target',
            'local-1',
            '--reason',
            'litigation',
            '--json',
          ],
          env,
        ),
      ),
    ) as HoldJson;
    expect(expectOk(await cli(['holds', 'list', ...store.args, '--standing']))).toMatch(
      new RegExp(`^${hold.id} +decision +local-1 +\\S+ +local:dpo1 +- +litigation$`, 'm'),
    );

    // The running server sees the hold at once, and so does the database.
    expectRefused(await cli(['erase', 'local-subject', '--url', server.url]), 'legal_hold');
    const refused = await cli(['erase', 'local-subject', ...store.args], env);
    expectRefused(refused, 'legal_hold');
    expect(refused.stderr).toContain(`holds/${hold.id}: decision local-1: litigation`);

    expectOk(await cli(['holds', 'release', hold.id, ...store.args], env));
    const erasure = JSON.parse(
      expectOk(await cli(['erase', 'local-subject', ...store.args, '--json'], env)),
    ) as Json;
    expect(erasure).toMatchObject({
      subject: 'local-subject',
      erased_by: 'local:dpo1',
      key_destroyed: true,
      records_shredded: 1,
    });
    const decision = await readDecision('local-1');
    expect(decision.input).toEqual({ ref: 's3://applications/local-1' });
    expect(decision.personal).toMatchObject({
      erased: true,
      erased_by: 'local:dpo1',
      erased_at: erasure['erased_at'],
    });

    const trail = await accessEntries('actor=local:dpo1');
    const details = { hold: hold.id, kind: 'decision', target: 'local-1', reason: 'litigation' };
    expect(trail).toMatchObject([
      { action: 'holds.place', method: 'LOCAL', route: 'declog holds place', records: 1, details },
      {
        action: 'holds.release',
        method: 'LOCAL',
        route: 'declog holds release',
        target: { id: hold.id },
        details,
      },
      {
        action: 'subjects.erase',
        method: 'LOCAL',
        route: 'declog erase',
        target: { id: 'local-subject' },
        records: 1,
      },
    ]);
    expect(expectOk(await cli(['verify', ...store.args, '--access-log']))).toMatch(
      /^ok \d+ entries/,
    );
  });

  it('refuses a subject the tenant does not know unless --force, on a server and on the database', async () => {
    for (const target of [['--url', server.url], store.args]) {
      const refused = await cli(['erase', 'typo-subjct', ...target]);
      expectRefused(refused, 'subject_not_found');
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(
        /^declog: no subject typo-subjct in tenant default: no key and no decision names it, so nothing was erased .*declog erase --force\) \[subject_not_found\]\n/,
      );
    }
    const forced = await cli(['erase', 'ahead-subject', ...store.args, '--force']);
    expect(expectOk(forced)).toMatch(
      /^subject ahead-subject erased at \S+ by local:\S+, ahead of its events or before: no live key; nothing left to shred\n$/,
    );
    // Known from then on (erased): no --force needed, over the API either.
    expect(expectOk(await cli(['erase', 'ahead-subject', '--url', server.url]))).toMatch(
      /^subject ahead-subject already erased at /,
    );
  });

  it('refuses a tenant the database does not know', async () => {
    expectRefused(await cli(['erase', 'x', ...store.args, '--tenant', 'nope']), 'tenant_not_found');
    expectRefused(
      await cli(['holds', 'list', ...store.args, '--tenant', 'nope']),
      'tenant_not_found',
    );
  });
});
