import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandEventText, generateSigner, verifyTlogProof, type Event } from '@declog/core';
// The full mutation corpus runs in process against the verifier the CLI uses; a sample of
// it also goes through the built CLI below.
import { verifyEvidenceBundle } from '../packages/server/src/services/ledger/verify-evidence-bundle.js';
import { killChildProcesses } from './helpers/child-processes.js';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  idOf,
  outcomeEvent,
} from './helpers/event-factory.js';
import { chainEvents } from './helpers/ledger-db.js';
import {
  buildLedger,
  copyStore,
  ingestInto,
  withStoreSql,
  storedSetting,
} from './helpers/ledger-store.js';
import { TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { bundleMutations, type Mutation } from './helpers/ledger-bundle-mutations.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, STORE_KIND, testStore, type TestStore } from './helpers/test-store.js';

const tmp = useTempDir('bundle');
afterAll(killChildProcesses);

interface Bundle {
  format: string;
  origin: string;
  verifier_key: string;
  checkpoint: string;
  tree_size: number;
  decision_id: string;
  entries: {
    seq: number;
    leaf: string;
    leaf_hash: string;
    event: Event & { seq: number; id: string };
    inclusion_proof: string[];
    tlog_proof: string;
  }[];
}

/** 100 signed entries, then a decision chain spread among 60 more that no checkpoint covers. */
let log: TestStore;
let key = '';
let origin = '';
let decision = '';
let other = '';

beforeAll(async () => {
  log = await testStore(tmp, 'log');
  await buildLedger(log, [100]);
  const events = chainEvents(60);
  decision = idOf(events[8]!);
  other = idOf(events[12]!);
  await ingestInto(log, events);
  key = await storedSetting(log, 'verifier_key');
  origin = await storedSetting(log, 'origin');
}, 60_000);

const latestCheckpointSize = (store: TestStore) =>
  withStoreSql(store, (sql) =>
    sql.rows<{ n: number }>('SELECT CAST(max(size) AS integer) AS n FROM checkpoints'),
  );

async function bundle(
  id: string,
  target: readonly string[],
  cwd?: string,
): Promise<{ result: CliResult; bundle: Bundle }> {
  const result = await runCli(['bundle', id, ...target], cwd === undefined ? {} : { cwd });
  expect(result.code, result.stderr).toBe(0);
  return { result, bundle: JSON.parse(result.stdout) as Bundle };
}

function writeBundle(name: string, value: unknown): string {
  const file = tmp.file(name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

const verifyBundle = (file: string, ...flags: string[]) =>
  runCli(['verify', '--bundle', file, ...flags]);

let made: Bundle;
let foreign: Bundle;

describe(`declog bundle on a ${STORE_KIND} database`, () => {
  it('signs a checkpoint when none covers the chain, and proves every event of it', async () => {
    expect(await latestCheckpointSize(log)).toEqual([{ n: 100 }]);
    made = (await bundle(decision, log.args, log.cwd)).bundle;
    expect(made).toMatchObject({
      format: 'declog-evidence-bundle/v1',
      origin,
      verifier_key: key,
      tree_size: 160,
      decision_id: decision,
    });
    expect(made.entries.map((e) => [e.seq, e.event.type])).toEqual([
      [108, 'decision'],
      [109, 'action'],
      [110, 'outcome'],
      [111, 'annotation'],
    ]);
    expect(await latestCheckpointSize(log)).toEqual([{ n: 160 }]);
    foreign = (await bundle(other, log.args, log.cwd)).bundle;
  });

  it('carries tlog-proofs that c2sp tooling checks with the key alone', () => {
    for (const entry of made.entries) {
      expect(entry.tlog_proof.startsWith(`c2sp.org/tlog-proof@v1\nindex ${entry.seq}\n`)).toBe(
        true,
      );
      const checked = verifyTlogProof(entry.tlog_proof, Buffer.from(entry.leaf_hash, 'base64'), {
        origin,
        verifierKey: key,
      });
      expect(checked.ok, JSON.stringify(checked)).toBe(true);
    }
  });

  it('fails clearly when no checkpoint covers the chain and the signing key is missing', async () => {
    const copy = await copyStore(log, tmp, 'no-key');
    await ingestInto(copy, chainEvents(4));
    rmSync(copy.keyFile);
    const [last] = await withStoreSql(copy, (sql) =>
      sql.rows<{ body: string }>(
        "SELECT body FROM events WHERE type = 'decision' ORDER BY seq DESC LIMIT 1",
      ),
    );
    const id = (JSON.parse(expandEventText(last!.body)) as { id: string }).id;
    const result = await runCli(['bundle', id, ...copy.args], { cwd: copy.cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /no checkpoint covers this decision yet, and one cannot be signed/,
    );
  });
});

describe('declog verify --bundle', () => {
  it('verifies offline with the key, printing what is proven', async () => {
    const result = await verifyBundle(writeBundle('good.json', made), '--verifier-key', key);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^ok decision ${decision}: 4 events proven in ${origin}\n`),
    );
    expect(result.stdout).toContain('against the signed checkpoint of size 160');
  });

  it('prints one JSON object with --json, passed or not', async () => {
    const file = writeBundle('good-json.json', made);
    const passed = await verifyBundle(file, '--verifier-key', key, '--json');
    expect(passed.code, passed.stderr).toBe(0);
    const report = JSON.parse(passed.stdout) as { events: { seq: number }[] };
    expect(report).toMatchObject({
      ok: true,
      mode: 'bundle',
      decision_id: decision,
      origin,
      tree_size: 160,
    });
    expect(report.events.map((e) => e.seq)).toEqual(made.entries.map((e) => e.seq));
    const other = generateSigner(origin).verifierKey;
    const failed = await verifyBundle(file, '--verifier-key', other, '--json');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('');
    expect(JSON.parse(failed.stdout)).toMatchObject({
      ok: false,
      mode: 'bundle',
      problem: { code: 'bad-checkpoint' },
    });
  });

  it('refuses another key, another origin, and no key at all', async () => {
    const file = writeBundle('good-2.json', made);
    const otherKey = generateSigner(origin).verifierKey;
    for (const flags of [
      ['--verifier-key', otherKey],
      ['--verifier-key', key, '--origin', 'x.example/log'],
    ]) {
      const result = await verifyBundle(file, ...flags);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAILED [bad-checkpoint]');
    }
    const keyless = await verifyBundle(file);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain('--bundle needs --verifier-key');
  });

  it('rejects every mutation of the corpus', () => {
    const corpus = bundleMutations(made, foreign.entries[1]);
    expect(corpus.length).toBeGreaterThan(400);
    expect(corpus.filter((m) => m.name.includes('signature byte')).length).toBe(5 * 68);
    const accepted = corpus.filter((m) => verifyEvidenceBundle(m.bundle, { verifierKey: key }).ok);
    expect(accepted.map((m) => m.name)).toEqual([]);
  });

  it('rejects a sample of the corpus through the CLI, naming the problem', async () => {
    const corpus = new Map(bundleMutations(made, foreign.entries[1]).map((m) => [m.name, m]));
    const sample: [string, string][] = [
      ['checkpoint size + 1', 'bad-checkpoint'],
      ['checkpoint signature byte 30', 'bad-checkpoint'],
      ['entry 0 (seq 108) inclusion hash 2', 'bad-inclusion-proof'],
      ['entry 1 (seq 109) tlog-proof hash 3', 'bad-tlog-proof'],
      ['entry 2 (seq 110) seq + 1', 'reordered-entry'],
      ['entry 3 (seq 111) leaf middle byte', 'edited-entry'],
      ['entry 3 (seq 111) event id', 'edited-entry'],
      ['entry of another decision', 'wrong-decision'],
    ];
    const results = await Promise.all(
      sample.map(async ([name]) => {
        const mutation = corpus.get(name) as Mutation;
        expect(mutation, name).toBeDefined();
        return verifyBundle(
          writeBundle(`m-${sample.findIndex((s) => s[0] === name)}.json`, mutation.bundle),
          '--verifier-key',
          key,
        );
      }),
    );
    results.forEach((result, i) => {
      expect(result.code, sample[i]![0]).toBe(1);
      expect(result.stderr, sample[i]![0]).toContain(`FAILED [${sample[i]![1]}]`);
    });
  });
});

describe('declog bundle --url', () => {
  it('builds the same evidence from a server, and it verifies offline', async () => {
    const served = await copyStore(log, tmp, 'served');
    const server = await startServerOn(served);
    try {
      const { bundle: remote } = await bundle(decision, ['--url', server.url]);
      expect(remote).toEqual(made);
      const result = await verifyBundle(writeBundle('remote.json', remote), '--verifier-key', key);
      expect(result.code, result.stderr).toBe(0);
      // The API key may come from --key too, which wins over $DECLOG_API_KEY.
      const env = { DECLOG_API_KEY: 'dlk_not_a_key' };
      const keyless = await runCli(['bundle', decision, '--url', server.url], { env });
      expect(keyless.code).toBe(1);
      expect(keyless.stderr).toMatch(/401|unauthorized|API key/i);
      const keyed = await runCli(
        ['bundle', decision, '--url', server.url, '--key', TEST_ADMIN_KEY],
        { env },
      );
      expect(keyed.code, keyed.stderr).toBe(0);
      expect(JSON.parse(keyed.stdout)).toEqual(made);
    } finally {
      await server.stop();
    }
  });
});

describe('the order of a bundle', () => {
  it('is the chain order of the docs, whatever order its events were recorded in', async () => {
    const store = await testStore(tmp, 'order');
    const first = decisionEvent();
    const id = idOf(first);
    // Recorded as annotation, outcome, action, action: time order is not chain order.
    await ingestInto(store, [
      first,
      annotationEvent(id, { occurred_at: '2026-03-01T12:01:00Z' }),
      outcomeEvent(id, { occurred_at: '2026-03-01T12:02:00Z' }),
      actionEvent(id, { occurred_at: '2026-03-01T12:03:00Z' }),
      actionEvent(id, { occurred_at: '2026-03-01T12:04:00Z', kind: 'human_review' }),
    ]);
    const { bundle: ordered } = await bundle(id, store.args, store.cwd);
    const chainOrder = [
      [0, 'decision'],
      [3, 'action'],
      [4, 'action'],
      [2, 'outcome'],
      [1, 'annotation'],
    ];
    expect(ordered.entries.map((e) => [e.seq, e.event.type])).toEqual(chainOrder);
    const verifierKey = await storedSetting(store, 'verifier_key');
    const listed = /^ {2}seq (\d+) (\w+) /gm;
    const lines = (stdout: string) => [...stdout.matchAll(listed)].map((m) => [Number(m[1]), m[2]]);
    const checked = await verifyBundle(writeBundle('ordered.json', ordered), '--key', verifierKey);
    expect(checked.code, checked.stderr).toBe(0);
    expect(lines(checked.stdout)).toEqual(chainOrder);
    // A bundle whose entries are in seq order (as older declogs wrote them) is listed the same.
    const bySeq = { ...ordered, entries: [...ordered.entries].sort((a, b) => a.seq - b.seq) };
    const old = await verifyBundle(writeBundle('by-seq.json', bySeq), '--key', verifierKey);
    expect(old.code, old.stderr).toBe(0);
    expect(lines(old.stdout)).toEqual(chainOrder);
  });
});
