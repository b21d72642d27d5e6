import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  generateSigner,
  leafHash,
  merkleRoot,
  signCheckpoint,
  type EventStore,
  type StoredRow,
} from '@declog/core';
import { live, liveRows } from './fixtures/live-rows.js';
import { forkedAt, ORIGIN, signedLog, tampered, type SignedLog } from './fixtures/signed-log.js';
import { verifyLog } from './verify-log.js';

const opened: EventStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

async function log(...args: Parameters<typeof signedLog>): Promise<SignedLog> {
  const made = await signedLog(...args);
  opened.push(made.store);
  return made;
}

async function leafHashes(store: EventStore): Promise<Uint8Array[]> {
  const rows = await store.scan(0, 1_000_000);
  return liveRows(rows).map((row) => leafHash(Buffer.from(row.json)));
}

/** Changes a value inside the stored JSON, keeping it valid JSON. */
const edit = (row: StoredRow): StoredRow => ({
  ...row,
  json: row.json.replace('"2026-03-01T12:', '"2026-03-01T13:'),
});

const failureOf = async (store: EventStore, options = {}) => {
  const report = await verifyLog(store, options);
  if (report.ok) throw new Error('verification passed');
  return report.problem;
};

describe('verifyLog on an untouched log', () => {
  it('passes with the entry count, the root of the leaves and every checkpoint checked', async () => {
    const { store, verifierKey } = await log(300, [0, 100, 220, 300]);
    const report = await verifyLog(store, { verifierKey });
    expect(report).toMatchObject({ ok: true, size: 300, checkpoints: 4, keySource: 'given' });
    expect(report.ok && Buffer.from(report.rootHash)).toEqual(
      Buffer.from(merkleRoot(await leafHashes(store))),
    );
    expect(await verifyLog(store)).toMatchObject({ ok: true, keySource: 'log', origin: ORIGIN });
  });

  it('reports the unsigned tail and reads in pages no larger than asked', async () => {
    const { store } = await log(250, [200]);
    const limits: number[] = [];
    const counting: EventStore = {
      ...store,
      scan: (from, limit) => (limits.push(limit), store.scan(from, limit)),
    };
    const report = await verifyLog(counting, { pageSize: 64 });
    expect(report).toMatchObject({ ok: true, size: 250, latestCheckpointSize: 200 });
    expect(limits).toEqual([64, 64, 64, 58]);
  });

  it('agrees with the reference root for any size, checkpoints and page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 9 }),
        async (size, sizes, pageSize) => {
          const { store } = await log(
            size,
            sizes.filter((s) => s <= size),
          );
          const report = await verifyLog(store, { pageSize });
          expect(report.ok && Buffer.from(report.rootHash)).toEqual(
            Buffer.from(merkleRoot(await leafHashes(store))),
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('verifyLog names the first bad seq', () => {
  it('an edited event, at any position and with any page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 40 })
          .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        fc.integer({ min: 1, max: 9 }),
        async ([size, bad], pageSize) => {
          const { store } = await log(size, [size]);
          const problem = await failureOf(
            tampered(store, { row: (row) => (row.seq === bad ? edit(row) : row) }),
            { pageSize },
          );
          expect(problem).toMatchObject({ code: 'edited-entry', seq: bad });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('an event edited together with its stored leaf hash, by the tree node above it', async () => {
    const { store } = await log(64, [64]);
    const row = live(await store.eventBySeq(21));
    const forged = leafHash(Buffer.from(edit(row).json));
    const problem = await failureOf(
      tampered(store, {
        row: (r) => (r.seq === 21 ? edit(r) : r),
        node: (level, index, hash) => (level === 0 && index === 21 ? forged : hash),
      }),
    );
    expect(problem).toMatchObject({ code: 'tree-node-mismatch', seqRange: [20, 21] });
  });

  it('an event edited with its leaf hash, anywhere: the range named holds it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: 40 })
          .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        fc.integer({ min: 1, max: 9 }),
        async ([size, bad], pageSize) => {
          const { store } = await log(size, [size]);
          const forged = leafHash(Buffer.from(edit(live(await store.eventBySeq(bad))).json));
          const problem = await failureOf(
            tampered(store, {
              row: (r) => (r.seq === bad ? edit(r) : r),
              node: (level, index, hash) => (level === 0 && index === bad ? forged : hash),
            }),
            { pageSize },
          );
          expect(['tree-node-mismatch', 'root-mismatch']).toContain(problem.code);
          const [first, last] = problem.seqRange ?? [-1, -1];
          expect(first <= bad && bad <= last, JSON.stringify(problem)).toBe(true);
          if (problem.code === 'tree-node-mismatch') expect(last - first).toBe(1);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a rewritten history with a consistent stored tree, by the signed root it contradicts', async () => {
    const original = await log(300, [100, 220, 300]);
    const rewritten = await log(300, [], { event: forkedAt(150) });
    const signed = await original.store.checkpoints();
    const problem = await failureOf(tampered(rewritten.store, { checkpoints: () => signed }));
    expect(problem).toMatchObject({
      code: 'root-mismatch',
      checkpointSize: 220,
      seqRange: [100, 219],
    });
  });

  it('a missing entry', async () => {
    const { store } = await log(120, [120]);
    const problem = await failureOf(tampered(store, { row: (r) => (r.seq === 77 ? null : r) }));
    expect(problem).toMatchObject({ code: 'missing-entry', seq: 77 });
  });

  it('a reordered entry', async () => {
    const { store } = await log(120, [120]);
    const rows = new Map(liveRows(await store.scan(0, 200)).map((r) => [r.seq, r]));
    const swap = (r: StoredRow): StoredRow =>
      r.seq === 10
        ? { ...rows.get(30)!, seq: 10 }
        : r.seq === 30
          ? { ...rows.get(10)!, seq: 30 }
          : r;
    const problem = await failureOf(tampered(store, { row: swap }));
    expect(problem).toMatchObject({ code: 'reordered-entry', seq: 10 });
  });

  it('an unreadable leaf hash, or stored node of the root', async () => {
    const { store } = await log(40, [40]);
    const without = (level: number, index: number) =>
      tampered(store, { node: (l, i, hash) => (l === level && i === index ? null : hash) });
    expect(await failureOf(without(0, 13))).toMatchObject({ code: 'missing-tree-node', seq: 13 });
    // 40 = 32 + 8: the root is made of the nodes over seq 0–31 and 32–39.
    expect(await failureOf(without(3, 4))).toMatchObject({
      code: 'missing-tree-node',
      seqRange: [32, 39],
    });
  });

  it('a stored node of the root altered, narrowed down to it', async () => {
    const { store } = await log(40, [40]);
    const problem = await failureOf(
      tampered(store, {
        node: (level, index, hash) => (level === 3 && index === 4 ? new Uint8Array(32) : hash),
      }),
    );
    expect(problem).toMatchObject({ code: 'tree-node-mismatch', seqRange: [32, 39] });
  });
});

describe('verifyLog checks every stored checkpoint', () => {
  it('refuses a changed signature byte', async () => {
    const { store } = await log(120, [40, 80, 120]);
    const problem = await failureOf(
      tampered(store, {
        checkpoints: (list) =>
          list.map((cp) => (cp.size === 80 ? { ...cp, note: flipSignature(cp.note) } : cp)),
      }),
    );
    expect(problem).toMatchObject({ code: 'bad-signature', checkpointSize: 80 });
  });

  it('refuses a stored root that is not the signed one', async () => {
    const { store } = await log(120, [40, 120]);
    const problem = await failureOf(
      tampered(store, {
        checkpoints: (list) =>
          list.map((cp) => (cp.size === 40 ? { ...cp, rootHash: new Uint8Array(32) } : cp)),
      }),
    );
    expect(problem).toMatchObject({ code: 'checkpoint-mismatch', checkpointSize: 40 });
  });

  it('refuses a validly signed checkpoint whose root is not the log’s, naming the range', async () => {
    const { store, identity } = await log(120, [40, 80, 120]);
    const forged = signCheckpoint(
      { origin: ORIGIN, size: 80, rootHash: new Uint8Array(32) },
      identity.signer,
    );
    const problem = await failureOf(
      tampered(store, {
        checkpoints: (list) =>
          list.map((cp) =>
            cp.size === 80 ? { ...cp, note: forged, rootHash: new Uint8Array(32) } : cp,
          ),
      }),
    );
    expect(problem).toMatchObject({
      code: 'root-mismatch',
      checkpointSize: 80,
      seqRange: [40, 79],
    });
  });

  it('refuses a log truncated below a checkpoint', async () => {
    const { store } = await log(120, [100, 120]);
    const problem = await failureOf(tampered(store, { size: () => 90 }));
    expect(problem).toMatchObject({ code: 'log-truncated', seq: 90, checkpointSize: 100 });
  });

  it('refuses another key and another origin', async () => {
    const { store } = await log(20, [20]);
    const other = generateSigner(ORIGIN).verifierKey;
    expect(await failureOf(store, { verifierKey: other })).toMatchObject({ code: 'bad-signature' });
    expect(await failureOf(store, { origin: 'other.example/log' })).toMatchObject({
      code: 'wrong-origin',
    });
    expect(await failureOf(store, { verifierKey: 'not a key' })).toMatchObject({
      code: 'malformed-key',
    });
  });
});

/** The note with one bit of its first signature's last byte flipped. */
function flipSignature(note: string): string {
  const lines = note.split('\n');
  const at = lines.findIndex((line) => line.startsWith('\u2014 '));
  const [dash, name, sig] = lines[at]!.split(' ');
  const bytes = Buffer.from(sig!, 'base64');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  lines[at] = `${dash} ${name} ${bytes.toString('base64')}`;
  return lines.join('\n');
}
