import { readFileSync, writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
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
  body,
  buildLedgerDb,
  copyDb,
  rebuildTree,
  rootOfBodies,
  setting,
  withDb,
} from './helpers/ledger-db.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';

const tmp = useTempDir('verify-db');
afterAll(killChildProcesses);

/** The base log: checkpoints at 0, 120, 220 and 300, then 20 entries not signed yet. */
const BASE = tmp.file('base.db');
let checkpointSizes: number[] = [];
let copies = 0;

beforeAll(async () => {
  checkpointSizes = await buildLedgerDb(BASE, [0, 120, 100, 80, 20], { unsignedTail: true });
}, 120_000);

/** A fresh copy of the base log, changed by `tamper` through SQLite directly. */
function tamperedCopy(tamper: (sql: Database.Database) => void): string {
  const db = copyDb(BASE, tmp.file(`copy-${(copies += 1)}.db`));
  withDb(db, tamper);
  return db;
}

/** Sets a value inside the stored event at `seq`, keeping the body canonical JSON. */
function editedBody(db: string, seq: number): string {
  const event = JSON.parse(body(db, seq)) as Record<string, unknown>;
  return canonicalJson({ ...event, occurred_at: '2020-02-02T02:02:02Z' });
}

const verify = (db: string, ...flags: string[]) => runCli(['verify', '--db', db, ...flags]);

/** Asserts a failed verification: exit 1, the problem code and where it is. */
function expectFailure(result: CliResult, code: string, where: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`FAILED [${code}]`);
  expect(result.stderr).toMatch(where);
}

describe('declog verify --db on an untouched log', () => {
  it('prints ok with the entry count, the root and the checkpoints checked', async () => {
    expect(checkpointSizes).toEqual([0, 120, 220, 300]);
    const result = await verify(BASE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`ok 320 entries, root ${rootOfBodies(BASE)}\n`);
    expect(result.stdout).toContain('4 signed checkpoint(s) checked');
    expect(result.stdout).toContain('20 entries after the latest checkpoint are not signed yet');
    expect(result.stdout).toContain("key: the log's own pinned key");
  });

  it('checks against a key given out of band, as text or as a file', async () => {
    const key = setting(BASE, 'verifier_key');
    const asText = await verify(BASE, '--key', key);
    expect(asText.code, asText.stderr).toBe(0);
    expect(asText.stdout).not.toContain('own pinned key');
    const file = tmp.file('log.pub');
    writeFileSync(file, `${key}\n`);
    expect((await verify(BASE, '--key', file)).code).toBe(0);
  });

  it('refuses another key and another origin', async () => {
    const other = generateSigner(setting(BASE, 'origin')).verifierKey;
    expectFailure(await verify(BASE, '--key', other), 'bad-signature', /checkpoint of size 0/);
    expectFailure(await verify(BASE, '--origin', 'x.example/log'), 'wrong-origin', /size 0/);
    const bad = await verify(BASE, '--key', 'no+such+key');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--key: not a verifier key/);
  });
});

describe('declog verify --db catches a direct edit of the database file', () => {
  it('an edited value inside an event body', async () => {
    const db = tamperedCopy((sql) =>
      sql.prepare('UPDATE events SET body = ? WHERE seq = 57').run(editedBody(BASE, 57)),
    );
    expectFailure(await verify(db), 'edited-entry', /at seq 57\n.*hashes to its stored leaf hash/);
  });

  it('an edited body in the unsigned tail, by its stored leaf hash', async () => {
    const db = tamperedCopy((sql) =>
      sql.prepare('UPDATE events SET body = ? WHERE seq = 310').run(editedBody(BASE, 310)),
    );
    expectFailure(await verify(db), 'edited-entry', /at seq 310/);
  });

  it('a body that is no longer canonical JSON', async () => {
    const spaced = JSON.stringify(JSON.parse(body(BASE, 12)), null, 1);
    const db = tamperedCopy((sql) =>
      sql.prepare('UPDATE events SET body = ? WHERE seq = 12').run(spaced),
    );
    expectFailure(await verify(db), 'edited-entry', /at seq 12\n.*not the canonical JSON/);
  });

  it('an edited body with its level-0 node edited to match', async () => {
    const edited = editedBody(BASE, 57);
    const db = tamperedCopy((sql) => {
      sql.prepare('UPDATE events SET body = ? WHERE seq = 57').run(edited);
      sql
        .prepare('UPDATE merkle_nodes SET hash = ? WHERE level = 0 AND idx = 57')
        .run(Buffer.from(leafHash(Buffer.from(edited))));
    });
    expectFailure(await verify(db), 'tree-node-mismatch', /in seq 56–57/);
  });

  it('an edited body with the whole stored tree rebuilt to match, by the signed root', async () => {
    const edited = editedBody(BASE, 150);
    const db = tamperedCopy((sql) =>
      sql.prepare('UPDATE events SET body = ? WHERE seq = 150').run(edited),
    );
    rebuildTree(db);
    expectFailure(await verify(db), 'root-mismatch', /in seq 120–219\n.*signed root of size 220/);
  });

  it('a deleted row', async () => {
    const db = tamperedCopy((sql) => sql.prepare('DELETE FROM events WHERE seq = 150').run());
    expectFailure(await verify(db), 'missing-entry', /at seq 150\n.*seq 150 is missing/);
  });

  it('two swapped bodies', async () => {
    const [a, b] = [body(BASE, 10), body(BASE, 20)];
    const db = tamperedCopy((sql) => {
      sql.prepare('UPDATE events SET body = ? WHERE seq = 10').run(b);
      sql.prepare('UPDATE events SET body = ? WHERE seq = 20').run(a);
    });
    expectFailure(await verify(db), 'reordered-entry', /at seq 10\n.*says it is seq 20/);
  });

  it('an index column that disagrees with the event', async () => {
    const db = tamperedCopy((sql) =>
      sql.prepare("UPDATE events SET type = 'action' WHERE seq = 8").run(),
    );
    expectFailure(await verify(db), 'edited-entry', /at seq 8\n.*type column/);
  });

  it('a changed signature byte of a checkpoint note', async () => {
    const db = tamperedCopy((sql) => {
      const { note } = sql.prepare('SELECT note FROM checkpoints WHERE size = 220').get() as {
        note: string;
      };
      sql
        .prepare('UPDATE checkpoints SET note = ? WHERE size = 220')
        .run(flipSignatureByte(note, 9));
    });
    expectFailure(await verify(db), 'bad-signature', /at the checkpoint of size 220/);
  });

  it('a replaced root of a checkpoint', async () => {
    const db = tamperedCopy((sql) =>
      sql.prepare('UPDATE checkpoints SET root = ? WHERE size = 120').run(Buffer.alloc(32, 1)),
    );
    expectFailure(await verify(db), 'checkpoint-mismatch', /at the checkpoint of size 120/);
  });

  it('a checkpoint re-signed with the log key over another root, naming the range', async () => {
    const signer = parseSignerKey(readFileSync(`${BASE}.key`, 'utf8').trim());
    if (!signer.ok) throw new Error(signer.reason);
    const root = Buffer.alloc(32, 2);
    const note = signCheckpoint(
      { origin: setting(BASE, 'origin'), size: 220, rootHash: root },
      signer.signer,
    );
    const db = tamperedCopy((sql) =>
      sql.prepare('UPDATE checkpoints SET note = ?, root = ? WHERE size = 220').run(note, root),
    );
    expectFailure(await verify(db), 'root-mismatch', /in seq 120–219/);
  });

  it('a log truncated below a checkpoint', async () => {
    const db = tamperedCopy((sql) => sql.prepare('DELETE FROM events WHERE seq >= 250').run());
    expectFailure(
      await verify(db),
      'log-truncated',
      /in seq 250–299\n.*signs 300 entries but the log holds 250/,
    );
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
