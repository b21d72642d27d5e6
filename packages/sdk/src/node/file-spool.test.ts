import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isDecisionLogError } from '../decision-log-error.js';
import type { EventRecord } from '../internal/event-record.js';
import { utf8Length } from '../internal/utf8-length.js';
import { FileSpool } from './file-spool.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'declog-spool-'));
  dirs.push(dir);
  return dir;
}

const record = (id: string): EventRecord => {
  const json = JSON.stringify({ id, type: 'decision' });
  return { id, json, bytes: utf8Length(json) };
};
const batch = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => record(`${prefix}${i}`));

async function drain(spool: FileSpool): Promise<string[][]> {
  const out: string[][] = [];
  for (let next = await spool.peek(); next !== undefined; next = await spool.peek()) {
    out.push(next.records.map((r) => r.id));
    await spool.ack(next);
  }
  return out;
}

const segments = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.startsWith('segment-'))
    .sort();

describe('FileSpool', () => {
  it('replays batches oldest first across segment files and deletes what was acknowledged', async () => {
    const dir = freshDir();
    const { spool } = await FileSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 200 });
    for (const name of ['a', 'b', 'c', 'd']) await spool.append(batch(name, 3));
    expect(spool.pendingEvents).toBe(12);
    expect(segments(dir).length).toBeGreaterThan(1);
    expect(await drain(spool)).toEqual([
      ['a0', 'a1', 'a2'],
      ['b0', 'b1', 'b2'],
      ['c0', 'c1', 'c2'],
      ['d0', 'd1', 'd2'],
    ]);
    expect(spool.pendingEvents).toBe(0);
    expect(spool.bytes).toBe(0);
    expect(segments(dir)).toEqual([]);
    await spool.close();
  });

  it('is replayed by the next process in order, skipping what was acknowledged before', async () => {
    const dir = freshDir();
    const first = await FileSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    for (const name of ['a', 'b', 'c']) await first.spool.append(batch(name, 2));
    const head = await first.spool.peek();
    await first.spool.ack(head!);
    // The process dies: no close, the lock stays behind with a dead... (our own) pid.
    const second = await FileSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    expect(second.problems).toEqual([]);
    expect(second.spool.pendingEvents).toBe(4);
    await second.spool.append(batch('d', 1));
    expect(await drain(second.spool)).toEqual([['b0', 'b1'], ['c0', 'c1'], ['d0']]);
    await second.spool.close();
  });

  it('sets a torn write at the tail aside, reports it, and replays every whole batch', async () => {
    const dir = freshDir();
    const first = await FileSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    await first.spool.append(batch('a', 2));
    await first.spool.append(batch('b', 2));
    await first.spool.close();
    const [name] = segments(dir);
    const path = join(dir, name!);
    truncateSync(path, statSync(path).size - 7);
    const second = await FileSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    expect(second.problems).toHaveLength(1);
    expect(isDecisionLogError(second.problems[0], 'spool_corrupt')).toBe(true);
    expect(second.problems[0]!.message).toMatch(/torn write/);
    expect(readdirSync(join(dir, 'corrupt'))).toHaveLength(1);
    expect(await drain(second.spool)).toEqual([['a0', 'a1']]);
    await second.spool.close();
  });

  it('never replays a record whose bytes changed on disk (checksum mismatch), and replays the rest', async () => {
    const dir = freshDir();
    const first = await FileSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    for (const name of ['a', 'b', 'c']) await first.spool.append(batch(name, 1));
    await first.spool.close();
    const path = join(dir, segments(dir)[0]!);
    const bytes = readFileSync(path);
    const at = bytes.indexOf('"b0"');
    bytes[at + 1] = 'x'.charCodeAt(0); // "x0": still JSON, wrong checksum
    writeFileSync(path, bytes);
    const second = await FileSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    expect(second.problems.map((p) => p.code)).toEqual(['spool_corrupt']);
    expect(second.problems[0]!.message).toMatch(/fail their checksum/);
    expect(await drain(second.spool)).toEqual([['a0'], ['c0']]);
    await second.spool.close();
  });

  it('refuses a batch that would pass maxBytes with spool_full, keeping nothing of it', async () => {
    const dir = freshDir();
    const { spool } = await FileSpool.open({ dir, maxBytes: 1024, segmentBytes: 1 << 20 });
    await spool.append(batch('a', 5));
    const before = spool.bytes;
    const refused = await spool.append(batch('b', 40)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isDecisionLogError(refused, 'spool_full')).toBe(true);
    expect(spool.bytes).toBe(before);
    expect(spool.pendingEvents).toBe(5);
    expect(await drain(spool)).toEqual([['a0', 'a1', 'a2', 'a3', 'a4']]);
    await spool.close();
  });

  it('refuses a folder another live process holds', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'lock'), `${process.ppid}\n`);
    const opened = await FileSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isDecisionLogError(opened, 'spool_unavailable')).toBe(true);
    expect(String(opened)).toMatch(/in use by process/);
  });
});
