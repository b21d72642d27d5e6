import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateSigner,
  leafHash,
  parseSignerKey,
  signCheckpoint,
} from '@declog/core';
import { killChildProcesses } from './helpers/child-processes.js';
import {
  buildLedger,
  copyStore,
  rebuildStoredTree,
  setStoredLeafHash,
  rootOfStoredBodies,
  storedBody,
  storedSetting,
  withStoreSql,
  type StoreSql,
} from './helpers/ledger-store.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, testStore, type TestStore } from './helpers/test-store.js';

const tmp = useTempDir('verify-db');
afterAll(killChildProcesses);

/** The base log: checkpoints at 0, 120, 220 and 300, then 20 entries not signed yet. */
let base: TestStore;
let checkpointSizes: number[] = [];
let copies = 0;

beforeAll(async () => {
  base = await testStore(tmp, 'base');
  checkpointSizes = await buildLedger(base, [0, 120, 100, 80, 20], { unsignedTail: true });
}, 120_000);

/** A fresh copy of the base log, changed by `tamper` through the database directly. */
async function tamperedCopy(tamper: (sql: StoreSql) => Promise<void>): Promise<TestStore> {
  const copy = await copyStore(base, tmp, `copy-${(copies += 1)}`);
  await withStoreSql(copy, tamper);
  return copy;
}

/** Sets a value inside the stored event at `seq`, keeping the body canonical JSON. */
async function editedBody(seq: number): Promise<string> {
  const event = JSON.parse(await storedBody(base, seq)) as Record<string, unknown>;
  return canonicalJson({ ...event, occurred_at: '2020-02-02T02:02:02Z' });
}

const verify = (store: TestStore, ...flags: string[]) =>
  runCli(['verify', ...store.args, ...flags], { cwd: store.cwd });

/** Asserts a failed verification: exit 1, the problem code and where it is. */
function expectFailure(result: CliResult, code: string, where: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`FAILED [${code}]`);
  expect(result.stderr).toMatch(where);
}

describe(`declog verify on an untouched ${STORE_KIND} log`, () => {
  it('prints ok with the entry count, the root and the checkpoints checked', async () => {
    expect(checkpointSizes).toEqual([0, 120, 220, 300]);
    const result = await verify(base);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`ok 320 entries, root ${await rootOfStoredBodies(base)}\n`);
    expect(result.stdout).toContain('4 signed checkpoint(s) checked');
    expect(result.stdout).toContain('20 entries after the latest checkpoint are not signed yet');
    expect(result.stdout).toContain("key: the log's own pinned key");
  });

  it('checks against a key given out of band, as text or as a file', async () => {
    const key = await storedSetting(base, 'verifier_key');
    const asText = await verify(base, '--verifier-key', key);
    expect(asText.code, asText.stderr).toBe(0);
    expect(asText.stdout).not.toContain('own pinned key');
    const file = tmp.file('log.pub');
    writeFileSync(file, `${key}\n`);
    expect((await verify(base, '--verifier-key', file)).code).toBe(0);
  });

  it('refuses another key and another origin', async () => {
    const other = generateSigner(await storedSetting(base, 'origin')).verifierKey;
    expectFailure(
      await verify(base, '--verifier-key', other),
      'bad-signature',
      /checkpoint of size 0/,
    );
    expectFailure(await verify(base, '--origin', 'x.example/log'), 'wrong-origin', /size 0/);
    const bad = await verify(base, '--verifier-key', 'no+such+key');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--verifier-key: not a verifier key/);
  });

  it('still reads the verifier key from the former --key, with a deprecation note', async () => {
    const key = await storedSetting(base, 'verifier_key');
    const former = await verify(base, '--key', key);
    expect(former.code, former.stderr).toBe(0);
    expect(former.stdout).not.toContain('own pinned key');
    expect(former.stderr).toBe(
      'declog: verify --key is deprecated: use --verifier-key (--key is the API key in every other command)\n',
    );
    const other = generateSigner(await storedSetting(base, 'origin')).verifierKey;
    expectFailure(await verify(base, '--key', other), 'bad-signature', /checkpoint of size 0/);
    const both = await verify(base, '--key', key, '--verifier-key', key);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain(
      "option '--verifier-key <vkey>' cannot be used with option '--key <vkey>'",
    );
  });

  it('names an API key given as the verifier key', async () => {
    const result = await verify(base, '--verifier-key', `dlk_${'a'.repeat(40)}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--verifier-key: not a verifier key (');
    expect(result.stderr).toContain(
      "this is an API key (verify sends $DECLOG_API_KEY to a server); give the log's verifier key, what GET /v1/log/key answers",
    );
  });
});

describe(`declog verify --json on a ${STORE_KIND} log`, () => {
  it('prints one JSON object on standard output, passed or not', async () => {
    const passed = await verify(base, '--json');
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stderr).toBe('');
    expect(JSON.parse(passed.stdout)).toEqual({
      ok: true,
      mode: 'db',
      tenant: 'default',
      log: 'decisions',
      entries: 320,
      root: await rootOfStoredBodies(base),
      pruned: 0,
      checkpoints_checked: 4,
      latest_checkpoint_size: 300,
      unsigned_entries: 20,
      origin: await storedSetting(base, 'origin'),
      key_source: 'log',
      previous_size: null,
      remembered_in: null,
      sealed_records: 0,
      sealed_opened: false,
    });

    const edited = await editedBody(57);
    const db = await tamperedCopy((sql) =>
      sql.run('UPDATE events SET body = ? WHERE seq = 57', [edited]),
    );
    const failed = await verify(db, '--json');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('');
    expect(JSON.parse(failed.stdout)).toEqual({
      ok: false,
      mode: 'db',
      tenant: 'default',
      log: 'decisions',
      problem: {
        code: 'edited-entry',
        reason: expect.stringContaining('seq 57') as string,
        seq: 57,
      },
      entries_checked: expect.any(Number) as number,
      checkpoints_checked: 1,
      key_source: 'log',
    });
  });
});

describe(`declog verify catches a direct edit of the ${STORE_KIND} database`, () => {
  it('an edited value inside an event body', async () => {
    const edited = await editedBody(57);
    const db = await tamperedCopy((sql) =>
      sql.run('UPDATE events SET body = ? WHERE seq = 57', [edited]),
    );
    expectFailure(await verify(db), 'edited-entry', /at seq 57\n.*hashes to its stored leaf hash/);
  });

  it('an edited body in the unsigned tail, by its stored leaf hash', async () => {
    const edited = await editedBody(310);
    const db = await tamperedCopy((sql) =>
      sql.run('UPDATE events SET body = ? WHERE seq = 310', [edited]),
    );
    expectFailure(await verify(db), 'edited-entry', /at seq 310/);
  });

  it('a body that is no longer canonical JSON', async () => {
    const spaced = JSON.stringify(JSON.parse(await storedBody(base, 12)), null, 1);
    const db = await tamperedCopy((sql) =>
      sql.run('UPDATE events SET body = ? WHERE seq = 12', [spaced]),
    );
    expectFailure(await verify(db), 'edited-entry', /at seq 12\n.*not the canonical JSON/);
  });

  it('an edited body with its leaf hash edited to match, by the signed root', async () => {
    const edited = await editedBody(57);
    const db = await tamperedCopy(async (sql) => {
      await sql.run('UPDATE events SET body = ? WHERE seq = 57', [edited]);
      await setStoredLeafHash(sql, 57, leafHash(Buffer.from(edited)));
    });
    // The tile of leaf hashes agrees with the edit, and no stored tile above it holds a node
    // of a log this small: its signed root tells.
    expectFailure(await verify(db), 'root-mismatch', /in seq 0–119\n.*signed root of size 120/);
  });

  it('an edited body with the whole stored tree rebuilt to match, by the signed root', async () => {
    const edited = await editedBody(150);
    const db = await tamperedCopy((sql) =>
      sql.run('UPDATE events SET body = ? WHERE seq = 150', [edited]),
    );
    await rebuildStoredTree(db);
    expectFailure(await verify(db), 'root-mismatch', /in seq 120–219\n.*signed root of size 220/);
  });

  it('a deleted row', async () => {
    const db = await tamperedCopy((sql) => sql.run('DELETE FROM events WHERE seq = 150'));
    expectFailure(await verify(db), 'missing-entry', /at seq 150\n.*seq 150 is missing/);
  });

  it('two swapped bodies', async () => {
    const [a, b] = [await storedBody(base, 10), await storedBody(base, 20)];
    const db = await tamperedCopy(async (sql) => {
      await sql.run('UPDATE events SET body = ? WHERE seq = 10', [b]);
      await sql.run('UPDATE events SET body = ? WHERE seq = 20', [a]);
    });
    expectFailure(await verify(db), 'reordered-entry', /at seq 10\n.*says it is seq 20/);
  });

  it('an index column that disagrees with the event', async () => {
    const db = await tamperedCopy((sql) =>
      sql.run("UPDATE events SET type = 'action' WHERE seq = 8"),
    );
    expectFailure(await verify(db), 'edited-entry', /at seq 8\n.*type column/);
  });

  it('a changed signature byte of a checkpoint note', async () => {
    const db = await tamperedCopy(async (sql) => {
      const [row] = await sql.rows<{ note: string }>(
        'SELECT note FROM checkpoints WHERE size = 220',
      );
      await sql.run('UPDATE checkpoints SET note = ? WHERE size = 220', [
        flipSignatureByte(row!.note, 9),
      ]);
    });
    expectFailure(await verify(db), 'bad-signature', /at the checkpoint of size 220/);
  });

  it('a replaced root of a checkpoint', async () => {
    const db = await tamperedCopy((sql) =>
      sql.run('UPDATE checkpoints SET root = ? WHERE size = 120', [Buffer.alloc(32, 1)]),
    );
    expectFailure(await verify(db), 'checkpoint-mismatch', /at the checkpoint of size 120/);
  });

  it('a checkpoint re-signed with the log key over another root, naming the range', async () => {
    const signer = parseSignerKey(readFileSync(base.keyFile, 'utf8').trim());
    if (!signer.ok) throw new Error(signer.reason);
    const root = Buffer.alloc(32, 2);
    const note = signCheckpoint(
      { origin: await storedSetting(base, 'origin'), size: 220, rootHash: root },
      signer.signer,
    );
    const db = await tamperedCopy((sql) =>
      sql.run('UPDATE checkpoints SET note = ?, root = ? WHERE size = 220', [note, root]),
    );
    expectFailure(await verify(db), 'root-mismatch', /in seq 120–219/);
  });

  it('a log truncated below a checkpoint', async () => {
    const db = await tamperedCopy(async (sql) => {
      await sql.run('DELETE FROM events WHERE seq >= 250');
      // PostgreSQL keeps the log's length beside it, for sequencing: an attacker cuts it too.
      if (STORE_KIND === 'postgres') await sql.run('UPDATE logs SET size = 250');
    });
    expectFailure(
      await verify(db),
      'log-truncated',
      /in seq 250–299\n.*signs 300 entries but the log holds 250/,
    );
  });
});

describe(`declog verify --state on a ${STORE_KIND} log: what the database alone cannot show`, () => {
  /** A fresh copy of the base log, verified once with a new state file, which is returned. */
  async function rememberedCopy(): Promise<{ db: TestStore; state: string }> {
    const db = await copyStore(base, tmp, `copy-${(copies += 1)}`);
    const state = tmp.file(`state-${copies}.json`);
    const first = await verify(db, '--state', state);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`remembered in ${state}\n`);
    return { db, state };
  }

  it('remembers the latest checkpoint, and the next run checks the log extends it', async () => {
    const { db, state } = await rememberedCopy();
    const logs = Object.values(
      (JSON.parse(readFileSync(state, 'utf8')) as { logs: Record<string, { size: number }> }).logs,
    );
    expect(logs.map((log) => log.size)).toEqual([300]);
    const again = await verify(db, '--state', state);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('extends the checkpoint of size 300 verified before');
    expect(again.stdout).toContain('key: the key remembered in the state file');
  });

  it('an edited body with the tree rebuilt and the checkpoints that signed it deleted', async () => {
    const { db, state } = await rememberedCopy();
    const edited = await editedBody(150);
    await withStoreSql(db, async (sql) => {
      // The column derived from the edited member too, or the index check would tell.
      const occurredMs = Date.parse(JSON.parse(edited).occurred_at as string);
      await sql.run('UPDATE events SET body = ?, occurred_ms = ? WHERE seq = 150', [
        edited,
        occurredMs,
      ]);
      await sql.run('DELETE FROM checkpoints WHERE size >= 120');
    });
    await rebuildStoredTree(db);
    // The rewritten entries now look like a tail that is not signed yet...
    const alone = await verify(db);
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toContain('320 entries after the latest checkpoint are not signed yet');
    // ...but not to a run that remembers the tree it verified.
    expectFailure(
      await verify(db, '--state', state),
      'history-rewritten',
      /in seq 0–255\n.*tree of size 300 verified before/,
    );
  });

  it('a deleted checkpoint, the entries untouched', async () => {
    const { db, state } = await rememberedCopy();
    await withStoreSql(db, (sql) => sql.run('DELETE FROM checkpoints WHERE size = 300'));
    expectFailure(
      await verify(db, '--state', state),
      'checkpoint-removed',
      /checkpoint of size 300 verified before is no longer stored/,
    );
  });

  it('a log cut short together with the checkpoints beyond the cut', async () => {
    const { db, state } = await rememberedCopy();
    await withStoreSql(db, async (sql) => {
      await sql.run('DELETE FROM events WHERE seq >= 250');
      await sql.run('DELETE FROM checkpoints WHERE size > 250');
      if (STORE_KIND === 'postgres') await sql.run('UPDATE logs SET size = 250');
    });
    expect((await verify(db)).code).toBe(0);
    expectFailure(
      await verify(db, '--state', state),
      'tree-shrank',
      /in seq 250–299\n.*holds 250 entries, fewer than the 300 verified before/,
    );
  });

  it('refuses a key or origin other than the remembered ones, and keeps the state', async () => {
    const { db, state } = await rememberedCopy();
    const before = readFileSync(state, 'utf8');
    const other = generateSigner(await storedSetting(base, 'origin')).verifierKey;
    expectFailure(
      await verify(db, '--state', state, '--verifier-key', other),
      'key-changed',
      /remembered/,
    );
    expectFailure(
      await verify(db, '--state', state, '--origin', 'x.example/log'),
      'origin-changed',
      /remembered/,
    );
    expect(readFileSync(state, 'utf8')).toBe(before);
  });
});

/** The note with bit 0 of byte `byte` of its signature line's payload flipped. */
function flipSignatureByte(note: string, byte: number): string {
  const lines = note.split('\n');
  const at = lines.findIndex((line) => line.startsWith('\u2014 '));
  const [dash, name, signature] = lines[at]!.split(' ');
  const bytes = Buffer.from(signature!, 'base64');
  bytes[byte] = bytes[byte]! ^ 1;
  lines[at] = `${dash} ${name} ${bytes.toString('base64')}`;
  return lines.join('\n');
}
