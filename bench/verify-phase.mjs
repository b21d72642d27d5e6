import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const BIN = fileURLToPath(new URL('../packages/server/bin/declog.js', import.meta.url));

/**
 * `declog verify --db` over the whole log, timed as a user runs it, beside the floor of the
 * same work: reading every stored event in seq order and hashing it once (SHA-256), in-process.
 */
export async function verifyPhase({ dbPath }) {
  const started = process.hrtime.bigint();
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'verify', '--db', dbPath], {
    maxBuffer: 1 << 20,
  });
  const verifySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!/^ok\b/m.test(stdout)) throw new Error(`declog verify did not print ok:\n${stdout}`);

  const db = new Database(dbPath, { readonly: true });
  const floorStarted = process.hrtime.bigint();
  let entries = 0;
  for (const row of db.prepare('SELECT body FROM events ORDER BY seq').iterate()) {
    createHash('sha256').update('\u0000').update(row.body).digest();
    entries += 1;
  }
  const floorSeconds = Number(process.hrtime.bigint() - floorStarted) / 1e9;
  db.close();
  return { entries, verifySeconds, floorSeconds, output: stdout.trim() };
}
