import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses, trackChild } from './helpers/child-processes.js';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  idOf,
  outcomeEvent,
  uniqueId,
  type TestEvent,
} from './helpers/event-factory.js';
import { freePort } from './helpers/free-port.js';
import { getJson, request, type DecisionChain, type DecisionPage } from './helpers/http-api.js';
import { CLI_PATH, runCli } from './helpers/run-cli.js';
import { runCliOnTty, TTY_AVAILABLE } from './helpers/run-cli-on-tty.js';
import { startServer } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { waitFor } from './helpers/wait-for.js';

const tmp = useTempDir('cli');
afterAll(killChildProcesses);

const ndjson = (lines: readonly (TestEvent | string)[]) =>
  `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`;

function writeNdjson(name: string, lines: readonly (TestEvent | string)[]): string {
  const path = tmp.file(name);
  writeFileSync(path, ndjson(lines));
  return path;
}

const SUMMARY =
  /^ingested (\d+) events \((\d+) created, (\d+) duplicate\), (\d+) rejected, in (\d+) batches, \d+\.\d\d s \(\d+ events\/s\)\n(?:(?:signed a checkpoint of|the latest checkpoint already signs) the log at size \d+, root \S+\n)?$/;

/** created, duplicate and rejected counts of an ingest summary line. */
function summaryCounts(stdout: string): { created: number; duplicate: number; rejected: number } {
  const match = SUMMARY.exec(stdout);
  expect(match, `not an ingest summary: ${stdout}`).not.toBeNull();
  return {
    created: Number(match?.[2]),
    duplicate: Number(match?.[3]),
    rejected: Number(match?.[4]),
  };
}

/** A decision with one of each kind of linked event. */
function smallChain() {
  const decision = decisionEvent();
  const id = idOf(decision);
  return {
    decision,
    events: [
      decision,
      actionEvent(id, { occurred_at: '2026-03-01T12:01:00Z' }),
      actionEvent(id, { occurred_at: '2026-03-01T12:02:00Z', kind: 'human_review' }),
      outcomeEvent(id, { occurred_at: '2026-03-02T00:00:00Z' }),
      annotationEvent(id, { occurred_at: '2026-03-03T00:00:00Z' }),
    ],
  };
}

async function getChain(id: string, db: string, ...flags: string[]): Promise<DecisionChain> {
  const result = await runCli(['get', id, '--db', db, '--json', ...flags]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as DecisionChain;
}

describe.concurrent('declog ingest', () => {
  it('stores an NDJSON file into --db, prints a summary, and counts reruns as duplicates', async () => {
    const db = tmp.file('ingest-file.db');
    const { decision, events } = smallChain();
    const file = writeNdjson('chain.ndjson', [...events, decisionEvent()]);

    const first = await runCli(['ingest', file, '--db', db]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(summaryCounts(first.stdout)).toEqual({ created: 6, duplicate: 0, rejected: 0 });
    expect(existsSync(db)).toBe(true);

    const chain = await getChain(idOf(decision), db);
    expect(chain.decision).toMatchObject({ ...decision, seq: 0 });
    expect(chain.actions.map((a) => a.id)).toEqual([events[1]?.id, events[2]?.id]);
    expect(chain.outcomes.map((o) => o.id)).toEqual([events[3]?.id]);
    expect(chain.annotations.map((a) => a.id)).toEqual([events[4]?.id]);

    const again = await runCli(['ingest', file, '--db', db]);
    expect(again.code).toBe(0);
    expect(summaryCounts(again.stdout)).toEqual({ created: 0, duplicate: 6, rejected: 0 });
  });

  it('prints the summary as one JSON object with --json', async () => {
    const db = tmp.file('ingest-json.db');
    const { events } = smallChain();
    const bad = JSON.stringify({ ...decisionEvent(), model: 7 });
    const file = writeNdjson('json.ndjson', [...events, bad]);
    const result = await runCli(['ingest', file, '--db', db, '--json', '--batch-size', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^line 6: model: /);
    const summary = JSON.parse(result.stdout) as Record<string, number>;
    expect(Object.keys(summary)).toEqual([
      'created',
      'duplicate',
      'rejected',
      'batches',
      'seconds',
      'checkpoint',
    ]);
    // The load was signed: the checkpoint covers the five stored events.
    expect(summary['checkpoint']).toMatchObject({ size: 5, signed_now: true });
    expect(summary).toMatchObject({ created: 5, duplicate: 0, rejected: 1 });
    expect(summary['seconds']).toBeGreaterThanOrEqual(0);
  });

  it('signs a checkpoint of the log at the end of a load into --db, so verify checks it all', async () => {
    const db = tmp.file('ingest-signed.db');
    const root = '[A-Za-z0-9+/]{43}=';
    const first = await runCli([
      'ingest',
      writeNdjson('signed-1.ndjson', smallChain().events),
      '--db',
      db,
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('\n')[1]).toMatch(
      new RegExp(`^signed a checkpoint of the log at size 5, root ${root}$`),
    );
    const verified = await runCli(['verify', '--db', db]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain('the latest of size 5');

    const more = await runCli([
      'ingest',
      writeNdjson('signed-2.ndjson', smallChain().events),
      '--db',
      db,
    ]);
    expect(more.stdout.split('\n')[1]).toMatch(/^signed a checkpoint of the log at size 10, /);
    const rerun = await runCli(['ingest', tmp.file('signed-2.ndjson'), '--db', db]);
    expect(rerun.stdout.split('\n')[1]).toMatch(
      /^the latest checkpoint already signs the log at size 10, /,
    );
    expect((await runCli(['verify', '--db', db])).stdout).toContain('the latest of size 10');
  }, 120_000);

  it('says so and exits 1 when the load cannot be signed, the events stored all the same', async () => {
    const db = tmp.file('ingest-unsignable.db');
    const { decision, events } = smallChain();
    const missingKey = tmp.file('no-such-signing.key');
    const file = writeNdjson('unsignable.ndjson', events);
    const result = await runCli(['ingest', file, '--db', db, '--signing-key', missingKey]);
    expect(result.code).toBe(1);
    expect(summaryCounts(result.stdout)).toEqual({ created: 5, duplicate: 0, rejected: 0 });
    expect(result.stderr).toBe(
      `declog: the events are stored, but no checkpoint could be signed: no signing key file at ${missingKey}\n`,
    );
    expect((await getChain(idOf(decision), db)).decision.id).toBe(decision.id);
    const overHttp = await runCli([
      'ingest',
      file,
      '--url',
      'http://127.0.0.1:9',
      '--signing-key',
      missingKey,
    ]);
    expect(overHttp.stderr).toBe(
      'declog: --origin and --signing-key are for a database: a server signs its own log\n',
    );
  }, 120_000);

  it('leaves the tail unsigned with --no-sign, for a server to sign', async () => {
    const db = tmp.file('ingest-no-sign.db');
    const signed = writeNdjson('no-sign-1.ndjson', smallChain().events);
    expect((await runCli(['ingest', signed, '--db', db])).code).toBe(0);
    const unsigned = await runCli([
      'ingest',
      writeNdjson('signed-3.ndjson', smallChain().events),
      '--db',
      db,
      '--no-sign',
    ]);
    expect(unsigned.code, unsigned.stderr).toBe(0);
    expect(unsigned.stdout.split('\n')[1]).toBe('');
    expect((await runCli(['verify', '--db', db])).stdout).toContain('the latest of size 5');
    const server = await startServer(['--db', db, '--port', '0']);
    await server.stop();
    expect((await runCli(['verify', '--db', db])).stdout).toContain('the latest of size 10');
  }, 120_000);

  it('signs a tenant log under the origin a server gives it', async () => {
    const db = tmp.file('ingest-tenant.db');
    const server = await startServer(['--db', db, '--port', '0']);
    await server.stop();
    const made = await runCli([
      'keys',
      'create',
      '--db',
      db,
      '--role',
      'producer',
      '--name',
      'p',
      '--tenant',
      'acme',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const file = writeNdjson('tenant.ndjson', smallChain().events);
    const loaded = await runCli(['ingest', file, '--db', db, '--tenant', 'acme']);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout.split('\n')[1]).toMatch(/^signed a checkpoint of the log at size 5, /);
    const verified = await runCli(['verify', '--db', db, '--tenant', 'acme']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(
      /for origin declog\.local\/log\/[0-9a-f]+\/tenant\/acme, the latest of size 5/,
    );
    // A server opening that log later finds the origin it would have given it.
    const again = await startServer(['--db', db, '--port', '0']);
    await again.stop();
    expect((await runCli(['verify', '--db', db, '--tenant', 'acme'])).code).toBe(0);
  }, 120_000);

  it('sends to a running server with --url', async () => {
    const server = await startServer(['--db', tmp.file('ingest-url.db'), '--port', '0']);
    const { decision, events } = smallChain();
    const file = writeNdjson('url.ndjson', events);
    const result = await runCli(['ingest', file, '--url', server.url, '--batch-size', '2']);
    expect(result.code, result.stderr).toBe(0);
    expect(summaryCounts(result.stdout)).toEqual({ created: 5, duplicate: 0, rejected: 0 });
    expect(result.stdout).toContain('in 3 batches');

    const chain = await getJson<DecisionChain>(server.url, `/v1/decisions/${idOf(decision)}`);
    expect(chain.status).toBe(200);
    expect(chain.body.actions).toHaveLength(2);
    expect(chain.body.outcomes).toHaveLength(1);
    expect(chain.body.annotations).toHaveLength(1);
    await server.stop();
  });

  it('reads standard input with -', async () => {
    const db = tmp.file('ingest-stdin.db');
    const { decision, events } = smallChain();
    const result = await runCli(['ingest', '-', '--db', db], { input: ndjson(events) });
    expect(result.code, result.stderr).toBe(0);
    expect(summaryCounts(result.stdout)).toEqual({ created: 5, duplicate: 0, rejected: 0 });
    expect((await getChain(idOf(decision), db)).actions).toHaveLength(2);
  });

  /** Lines 2, 4, 6 and 8 are bad; 1, 5 and 7 are good; 3 is blank. */
  function mixedFile(name: string) {
    const good = decisionEvent();
    const action = actionEvent(idOf(good));
    const invalid = { ...decisionEvent(), confidence: 7 };
    const last = decisionEvent();
    const conflicting = { ...good, rationale: { summary: 'Another rationale' } };
    const file = writeNdjson(name, [
      good,
      'not json {',
      '',
      '{"type":"decision"}',
      action,
      invalid,
      last,
      conflicting,
    ]);
    return { file, good, action, invalid, last };
  }

  it.each([['1000'], ['2'], ['1']])(
    'reports bad lines by number, stores the valid rest and exits 1 (batch size %s)',
    async (batchSize) => {
      const db = tmp.file(`mixed-${batchSize}.db`);
      const { file, good, action, invalid, last } = mixedFile(`mixed-${batchSize}.ndjson`);
      const result = await runCli(['ingest', file, '--db', db, '--batch-size', batchSize]);
      expect(result.code).toBe(1);
      expect(summaryCounts(result.stdout)).toEqual({ created: 3, duplicate: 0, rejected: 4 });

      const reported = result.stderr.trimEnd().split('\n');
      for (const line of reported) expect(line).toMatch(/^line \d+: \S.*: \S/);
      expect(reported.map((line) => Number(/^line (\d+)/.exec(line)?.[1]))).toEqual(
        expect.arrayContaining([2, 4, 6, 8]),
      );
      expect(new Set(reported.map((line) => /^line (\d+)/.exec(line)?.[1]))).toEqual(
        new Set(['2', '4', '6', '8']),
      );
      expect(result.stderr).toMatch(/^line 2: .*not valid JSON/m);
      expect(result.stderr).toMatch(/^line 4: model: is required$/m);
      expect(result.stderr).toMatch(/^line 4: rationale: is required$/m);
      expect(result.stderr).toMatch(/^line 6: confidence: /m);
      expect(result.stderr).toMatch(new RegExp(`^line 8: id: .*${idOf(good)}`, 'm'));

      const chain = await getChain(idOf(good), db);
      expect(chain.decision.rationale).toEqual(good.rationale);
      expect(chain.actions.map((a) => a.id)).toEqual([action.id]);
      expect((await getChain(idOf(last), db)).decision.id).toBe(last.id);
      const missing = await runCli(['get', idOf(invalid), '--db', db]);
      expect(missing.code).toBe(1);
    },
  );

  it('stops at the first rejected batch with --stop-on-error', async () => {
    const db = tmp.file('stop.db');
    const { file, good, last } = mixedFile('stop.ndjson');
    const result = await runCli([
      'ingest',
      file,
      '--db',
      db,
      '--batch-size',
      '1',
      '--stop-on-error',
    ]);
    expect(result.code).toBe(1);
    expect(summaryCounts(result.stdout)).toEqual({ created: 1, duplicate: 0, rejected: 1 });
    expect(result.stderr).toMatch(/^line 2: /);
    expect(result.stderr).not.toMatch(/^line [4-9]/m);
    expect((await getChain(idOf(good), db)).decision.id).toBe(good.id);
    expect((await runCli(['get', idOf(last), '--db', db])).code).toBe(1);
  });

  it('fails clearly when the --url server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const file = writeNdjson('unreachable.ndjson', [decisionEvent()]);
    const result = await runCli(['ingest', file, '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach ${url}`);
  });

  it('fails clearly for a missing input file without creating a database', async () => {
    const db = tmp.file('never.db');
    const missing = tmp.file('missing.ndjson');
    const result = await runCli(['ingest', missing, '--db', db]);
    expect(result.code).toBe(1);
    // One line: not the read stream's unhandled 'error' event and its stack.
    expect(result.stderr).toBe(`declog: cannot read ${missing}: no such file\n`);
    expect(existsSync(db)).toBe(false);
    const overHttp = await runCli(['ingest', missing, '--url', 'http://127.0.0.1:9']);
    expect(overHttp.stderr).toBe(`declog: cannot read ${missing}: no such file\n`);
    const folder = await runCli(['ingest', tmp.file(''), '--db', db]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/^declog: cannot read .*: it is a folder, not a file\n$/);
  });

  it('refuses a --url without its scheme in one line, in every command that takes one', async () => {
    const file = writeNdjson('no-scheme.ndjson', [decisionEvent()]);
    const commands = [
      ['ingest', file],
      ['query'],
      ['get', 'some-id'],
      ['verify'],
      ['bundle', 'some-id'],
      ['keys', 'list'],
      ['erase', 'some-subject'],
      ['security-log'],
    ];
    for (const command of commands) {
      const result = await runCli([...command, '--url', '127.0.0.1:7401']);
      expect(result.code, command.join(' ')).toBe(1);
      expect(result.stderr, command.join(' ')).toBe(
        "error: option '--url <url>' argument '127.0.0.1:7401' is invalid. " +
          'must be an http:// or https:// URL, e.g. http://127.0.0.1:7401\n',
      );
    }
    const withQuery = await runCli(['query', '--url', 'http://127.0.0.1:7401/?tenant=x']);
    expect(withQuery.stderr).toContain('without ?query or #fragment');
  });

  it('ends at Ctrl-C (SIGINT) instead of ignoring it', async () => {
    const db = tmp.file('interrupted.db');
    const child = spawn(process.execPath, [CLI_PATH, 'ingest', '-', '--db', db], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const exited = trackChild(child);
    child.stdin.write(ndjson([decisionEvent()])); // standard input stays open
    await waitFor('ingest to open its database', () => existsSync(db));
    child.kill('SIGINT');
    const status = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000)),
    ]);
    expect([
      { code: null, signal: 'SIGINT' },
      { code: 130, signal: null },
    ]).toContainEqual(status);
  });

  it.runIf(TTY_AVAILABLE)('shows a progress bar and the summary on a terminal', async () => {
    const db = tmp.file('tty-ingest.db');
    const file = writeNdjson('tty.ndjson', smallChain().events);
    const result = await runCliOnTty(['ingest', file, '--db', db]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/ingest \[.*\] 100% \| \d+\/\d+ bytes/);
    expect(result.stdout).toMatch(/ingested 5 events \(5 created, 0 duplicate\), 0 rejected/);
  });
});

describe.concurrent('declog get', () => {
  const db = tmp.file('get.db');
  const { decision, events } = smallChain();

  beforeAll(async () => {
    const result = await runCli(['ingest', '-', '--db', db], { input: ndjson(events) });
    expect(result.code, result.stderr).toBe(0);
  });

  it('prints the chain as JSON with --json', async () => {
    const flagged = await runCli(['get', idOf(decision), '--db', db, '--json']);
    expect(flagged.code, flagged.stderr).toBe(0);
    const chain = JSON.parse(flagged.stdout) as DecisionChain;
    expect(chain.decision).toEqual({
      ...decision,
      seq: 0,
      recorded_at: expect.any(String) as string,
    });
    expect(chain.actions.map((a) => a.id)).toEqual([events[1]?.id, events[2]?.id]);
    expect(chain.outcomes.map((o) => o.id)).toEqual([events[3]?.id]);
    expect(chain.annotations.map((a) => a.id)).toEqual([events[4]?.id]);
  });

  it('prints text without --json, on a terminal or not, as every command does', async () => {
    const piped = await runCli(['get', idOf(decision), '--db', db]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toMatch(new RegExp(`^decision ${idOf(decision)}  \\(seq 0\\)$`, 'm'));
    expect(piped.stdout).toContain(`action ${events[2]?.id ?? ''}: human_review`);
    expect(() => JSON.parse(piped.stdout) as unknown).toThrow();
  });

  it('names the decision whose chain holds the id of an action, outcome or annotation', async () => {
    for (const [event, what] of [
      [events[1], 'an action'],
      [events[3], 'an outcome'],
      [events[4], 'an annotation'],
    ] as const) {
      const result = await runCli(['get', event?.id ?? '', '--db', db]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `declog: ${event?.id ?? ''} is ${what} of decision ${idOf(decision)}, not a decision; ` +
          `see \`declog get ${idOf(decision)}\` [not_found]\n`,
      );
    }
  });

  it.runIf(TTY_AVAILABLE)(
    'prints text for a person on a terminal, and JSON with --json',
    async () => {
      const text = await runCliOnTty(['get', idOf(decision), '--db', db]);
      expect(text.code, text.stdout).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`^decision ${idOf(decision)}  \\(seq 0\\)$`, 'm'));
      expect(text.stdout).toContain('model      credit-scorer@1.4.0');
      expect(text.stdout).toContain(`action ${events[2]?.id ?? ''}: human_review`);
      expect(text.stdout).toContain(`outcome ${events[3]?.id ?? ''}: success`);
      expect(() => JSON.parse(text.stdout) as unknown).toThrow();

      const json = await runCliOnTty(['get', idOf(decision), '--db', db, '--json']);
      expect((JSON.parse(json.stdout) as DecisionChain).decision.id).toBe(decision.id);
    },
  );

  it('reads through a server with --url', async () => {
    const server = await startServer(['--db', db, '--port', '0']);
    const result = await runCli(['get', idOf(decision), '--url', server.url, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as DecisionChain).actions).toHaveLength(2);
    const action = await runCli(['get', events[1]?.id ?? '', '--url', server.url]);
    expect(action.code).toBe(1);
    expect(action.stderr).toBe(
      `declog: ${events[1]?.id ?? ''} is an action of decision ${idOf(decision)}, not a decision; ` +
        `see \`declog get ${idOf(decision)}\` [not_found]\n`,
    );
    const missing = await runCli(['get', uniqueId('nope'), '--url', server.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[not_found]');
    await server.stop();
  });

  it('fails with exit code 1 for an unknown id', async () => {
    const id = uniqueId('nope');
    const result = await runCli(['get', id, '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`declog: no decision with id "${id}" [not_found]\n`);
  });

  it('fails clearly when --db names a missing file, and does not create it', async () => {
    const missing = tmp.file('missing-get.db');
    const result = await runCli(['get', idOf(decision), '--db', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no declog database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});

describe.concurrent('declog query', () => {
  const db = tmp.file('query.db');
  const a1 = decisionEvent({
    id: uniqueId('qa'),
    occurred_at: '2026-05-01T10:00:00Z',
    model: { name: 'model-a', version: '1' },
    labels: { team: 'risk', region: 'eu' },
    subject: { id: 'u-1' },
  });
  const a2 = decisionEvent({
    id: uniqueId('qa'),
    occurred_at: '2026-05-02T10:00:00Z',
    model: { name: 'model-a', version: '2' },
    labels: { team: 'risk', region: 'us' },
    rationale: { summary: 'Late payments in history', reasons: [{ code: 'late_payments' }] },
  });
  const a3 = decisionEvent({
    id: uniqueId('qa'),
    occurred_at: '2026-05-03T10:00:00Z',
    model: { name: 'model-a', version: '2' },
    labels: { team: 'ops' },
  });
  const b1 = decisionEvent({
    id: uniqueId('qb'),
    occurred_at: '2026-05-04T10:00:00Z',
    model: { name: 'model-b', version: '1' },
    labels: { team: 'risk' },
  });
  const linked = [
    actionEvent(idOf(a2), { kind: 'override' }),
    outcomeEvent(idOf(a2), { status: 'failure' }),
    outcomeEvent(idOf(a1), { status: 'success' }),
  ];

  beforeAll(async () => {
    const result = await runCli(['ingest', '-', '--db', db], {
      input: ndjson([a1, a2, a3, b1, ...linked]),
    });
    expect(result.code, result.stderr).toBe(0);
  });

  async function queryIds(...flags: string[]): Promise<string[]> {
    const result = await runCli(['query', '--db', db, '--json', ...flags]);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as DecisionPage).items.map((d) => d.id);
  }

  it('prints matching decisions as a table, newest first', async () => {
    const result = await runCli([
      'query',
      '--db',
      db,
      '--model',
      'model-a',
      '--label',
      'team=risk',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^occurred_at\s+id\s+model\s+prediction\s+conf\s+summary$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(a2.id);
    expect(lines[1]).toContain('model-a@2');
    expect(lines[1]).toContain('Late payments in history');
    expect(lines[2]).toContain(a1.id);
    expect(result.stdout).not.toContain(a3.id);
    expect(result.stdout).not.toContain(b1.id);
  });

  it('prints {items, next_cursor} with --json', async () => {
    const result = await runCli(['query', '--db', db, '--json', '--label', 'team=risk']);
    expect(result.code).toBe(0);
    const page = JSON.parse(result.stdout) as DecisionPage;
    expect(page.items.map((d) => d.id)).toEqual([b1.id, a2.id, a1.id]);
    expect(page.next_cursor).toBeNull();
  });

  it('maps every filter flag to its query parameter', async () => {
    const cases: [flags: string[], ids: (string | undefined)[]][] = [
      [['--model', 'model-b'], [b1.id]],
      [
        ['--model-version', '2'],
        [a3.id, a2.id],
      ],
      [
        ['--from', '2026-05-02T10:00:00Z'],
        [b1.id, a3.id, a2.id],
      ],
      [['--to', '2026-05-02T10:00:00Z'], [a1.id]],
      [['--reason', 'late_payments'], [a2.id]],
      [['--action-kind', 'override'], [a2.id]],
      [['--outcome-status', 'success'], [a1.id]],
      [['--subject', 'u-1'], [a1.id]],
      [['--q', 'late payments'], [a2.id]],
      [['--label', 'team=risk', '--label', 'region=us'], [a2.id]],
      [['--model', 'model-a', '--model-version', '2', '--outcome-status', 'failure'], [a2.id]],
    ];
    const answers = await Promise.all(cases.map(([flags]) => queryIds(...flags)));
    cases.forEach(([flags, ids], i) => expect(answers[i], flags.join(' ')).toEqual(ids));
  });

  it('pages with --limit and --cursor', async () => {
    const first = await runCli(['query', '--db', db, '--json', '--limit', '2']);
    const page = JSON.parse(first.stdout) as DecisionPage;
    expect(page.items.map((d) => d.id)).toEqual([b1.id, a3.id]);
    expect(page.next_cursor).toEqual(expect.any(String));
    const cursor = page.next_cursor ?? '';
    expect(await queryIds('--limit', '2', '--cursor', cursor)).toEqual([a2.id, a1.id]);

    const table = await runCli(['query', '--db', db, '--limit', '2']);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe(`more: --cursor ${cursor}`);
  });

  it('refuses --label with a key alone, naming the flag', async () => {
    for (const flag of ['team', '=risk']) {
      const result = await runCli(['query', '--db', db, '--label', flag]);
      expect(result.code, flag).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`option '--label <key=value>' argument '${flag}' is invalid`);
    }
    const alone = await runCli(['query', '--db', db, '--label', 'team']);
    expect(alone.stderr).toContain('needs KEY=VALUE, as in --label team=risk');
  });

  it('takes a date alone for --from and --to: the start of that day in UTC', async () => {
    expect(await queryIds('--from', '2026-05-02')).toEqual([b1.id, a3.id, a2.id]);
    expect(await queryIds('--from', '2026-05-02', '--to', '2026-05-04')).toEqual([a3.id, a2.id]);
    const missing = await runCli(['query', '--db', db, '--from', '2026-02-29']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'declog: invalid query parameters [invalid_query]\n' +
        '  from: the date 2026-02-29 does not exist: February 2026 has 28 days\n',
    );
  });

  it('refuses a cursor with other filters than its query, naming --cursor', async () => {
    const first = await runCli([
      'query',
      '--db',
      db,
      '--json',
      '--limit',
      '1',
      '--model',
      'model-a',
    ]);
    const cursor = (JSON.parse(first.stdout) as DecisionPage).next_cursor ?? '';
    expect(cursor).not.toBe('');
    // The same query goes on, with another page size too.
    expect(await queryIds('--model', 'model-a', '--limit', '5', '--cursor', cursor)).toEqual([
      a2.id,
      a1.id,
    ]);
    for (const flags of [
      [],
      ['--model', 'model-b'],
      ['--model', 'model-a', '--label', 'team=risk'],
    ]) {
      const other = await runCli(['query', '--db', db, ...flags, '--cursor', cursor]);
      expect(other.code, flags.join(' ')).toBe(1);
      expect(other.stderr).toContain('[invalid_query]');
      expect(other.stderr).toContain('  cursor: belongs to another query');
    }
  });

  it('says so when nothing matches', async () => {
    const result = await runCli(['query', '--db', db, '--model', 'no-such-model']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('no decisions match\n');
  });

  it('queries a server with --url', async () => {
    const server = await startServer(['--db', db, '--port', '0']);
    const result = await runCli(['query', '--url', server.url, '--json', '--model', 'model-a']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as DecisionPage).items.map((d) => d.id)).toEqual([
      a3.id,
      a2.id,
      a1.id,
    ]);
    await server.stop();
  });

  it('reports bad filter values with exit code 1', async () => {
    const result = await runCli(['query', '--db', db, '--limit', '0', '--from', 'yesterday']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[invalid_query]');
    expect(result.stderr).toMatch(/^ {2}limit: /m);
    expect(result.stderr).toMatch(/^ {2}from: /m);
  });

  it('fails clearly when --db names a missing file, and does not create it', async () => {
    const missing = tmp.file('missing-query.db');
    const result = await runCli(['query', '--db', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no declog database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses --db together with --url', async () => {
    const result = await runCli(['query', '--db', db, '--url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--db.*cannot be used with.*--url/);
  });
});

describe.concurrent('declog --help', () => {
  const FLAGS: Record<string, string[]> = {
    serve: ['--db', '--store', '--port', '--host'],
    ingest: ['--db', '--store', '--url', '--key', '--batch-size', '--stop-on-error', '--json'],
    get: ['--db', '--store', '--url', '--key', '--json'],
    migrate: ['--db', '--store', '--json'],
    copy: ['--from', '--to', '--batch-size', '--json'],
    erase: ['--db', '--store', '--url', '--key', '--tenant', '--json'],
    bundle: ['--db', '--store', '--url', '--key', '--tenant', '--origin', '--signing-key'],
    verify: [
      '--db',
      '--store',
      '--url',
      '--bundle',
      '--verifier-key',
      '--origin',
      '--state',
      '--tenant',
      '--access-log',
      '--json',
    ],
    query: [
      '--model',
      '--model-version',
      '--from',
      '--to',
      '--reason',
      '--action-kind',
      '--outcome-status',
      '--subject',
      '--label',
      '--q',
      '--limit',
      '--cursor',
      '--json',
      '--db',
      '--store',
      '--url',
      '--key',
    ],
  };

  it('lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of Object.keys(FLAGS)) {
      expect(result.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    }
  });

  it.each(Object.entries(FLAGS))('describes every flag of %s', async (command, flags) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: declog ${command}`);
    for (const flag of flags) expect(result.stdout).toMatch(new RegExp(`^ +${flag}\\b.*\\S`, 'm'));
  });

  it('shows the defaults of serve', async () => {
    const result = await runCli(['serve', '--help']);
    expect(result.stdout).toMatch(/--port <n>[\s\S]*default: 7300/);
    expect(result.stdout).toMatch(/--host <host>[\s\S]*default: "127\.0\.0\.1"/);
    expect(result.stdout).toMatch(/--db <path>[\s\S]*default\s+\.\/declog\.db/);
    expect(result.stdout).toMatch(/--store <url>[\s\S]*\$DECLOG_DATABASE_URL/);
  });
});

describe.concurrent('declog serve', () => {
  it('listens on --host and --port and stores into --db', async () => {
    const db = tmp.file('serve-flags.db');
    const port = await freePort();
    const server = await startServer(['--db', db, '--port', String(port), '--host', '127.0.0.1']);
    expect(server.banner).toBe(`declog serving http://127.0.0.1:${port} (database ${db})`);
    expect((await request(server.url, '/healthz')).status).toBe(200);
    expect(existsSync(db)).toBe(true);
    await server.stop();
  });

  it('listens on every interface with --host 0.0.0.0', async () => {
    const server = await startServer([
      '--db',
      tmp.file('serve-any.db'),
      '--port',
      '0',
      '--host',
      '0.0.0.0',
    ]);
    const port = /:(\d+)$/.exec(server.url)?.[1];
    expect(server.url).toBe(`http://0.0.0.0:${port ?? ''}`);
    expect((await request(`http://127.0.0.1:${port ?? ''}`, '/healthz')).status).toBe(200);
    await server.stop();
  });

  it('stores into ./declog.db by default', async () => {
    const cwd = tmp.file('');
    const server = await startServer(['--port', '0'], { cwd });
    expect(server.banner).toMatch(/\(database \.\/declog\.db\)$/);
    expect(existsSync(tmp.file('declog.db'))).toBe(true);
    await server.stop();
  });

  it('serves on 127.0.0.1:7300 by default, or says clearly that the port is taken', async () => {
    const cwd = tmp.file('');
    try {
      const server = await startServer(['--db', tmp.file('default-port.db')], { cwd });
      expect(server.url).toBe('http://127.0.0.1:7300');
      await server.stop();
    } catch (error) {
      // Port 7300 is in use on this machine: the server must say so and exit.
      expect(String(error)).toMatch(/exited \(1\)[\s\S]*the address is in use/);
    }
  });

  it('exits with code 1 and a clear message when the port is taken', async () => {
    const first = await startServer(['--db', tmp.file('taken-1.db'), '--port', '0']);
    const port = /:(\d+)$/.exec(first.url)?.[1] ?? '';
    const second = await runCli(['serve', '--db', tmp.file('taken-2.db'), '--port', port], {
      timeoutMs: 15_000,
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `declog: cannot listen on 127.0.0.1:${port}: the address is in use (another server?); ` +
        'choose another --port or stop the other server\n',
    );
    await first.stop();
  });

  it('rejects a bad --port', async () => {
    const result = await runCli(['serve', '--port', '70000', '--db', tmp.file('bad-port.db')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('must be a port number');
  });

  it.each([['SIGTERM'], ['SIGINT']] as const)(
    'shuts down cleanly on %s with exit code 0, keeping what it stored',
    async (signal) => {
      const db = tmp.file(`signal-${signal}.db`);
      const server = await startServer(['--db', db, '--port', '0']);
      const decision = decisionEvent();
      // The client keeps its connection open (keep-alive); shutdown must not wait for it.
      const posted = await request(server.url, '/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: [decision] }),
      });
      expect(posted.status).toBe(200);
      const started = Date.now();
      const status = await server.stop(signal);
      expect(status).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(server.stderr()).toContain(`${signal}, shutting down`);
      expect(existsSync(`${db}-wal`), 'the database was not closed').toBe(false);
      expect((await getChain(idOf(decision), db)).decision.id).toBe(decision.id);
    },
  );

  it('ends at once on a signal that comes before it serves, as any command does', async () => {
    const args = [CLI_PATH, 'serve', '--db', tmp.file('early.db'), '--port', '0'];
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const exited = trackChild(child);
    child.kill('SIGTERM');
    const status = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000)),
    ]);
    expect(status).toEqual({ code: null, signal: 'SIGTERM' });
  });
});
