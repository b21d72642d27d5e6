import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, generateSigner, leafHash, type EventStore } from '@declog/core';
import { appOnStore } from './fixtures/app-on-store.js';
import { remoteLogReader } from '../../client/remote-log-reader.js';
import { injectFetch } from './fixtures/inject-fetch.js';
import { forkedAt, signedLog, type SignedLog } from './fixtures/signed-log.js';
import type { LogReader } from './log-reader.js';
import { verifyRemoteLog, type RemoteVerification } from './verify-remote-log.js';
import type { VerifiedLog } from './verified-log.js';

const opened: EventStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/** A log served by the real routes, read by the real HTTP client. */
async function served(
  ...args: Parameters<typeof signedLog>
): Promise<SignedLog & { reader: LogReader }> {
  const log = await signedLog(...args);
  opened.push(log.store);
  const app = await appOnStore(log.store, log.identity);
  return { ...log, reader: remoteLogReader({ url: 'http://log.test/', fetch: injectFetch(app) }) };
}

function verified(report: RemoteVerification): VerifiedLog {
  if (!report.ok) throw new Error(`verification failed: ${report.problem.reason}`);
  return report.verified;
}

describe('verifyRemoteLog', () => {
  it('trusts the key on first use, downloads everything and checks the signed root', async () => {
    const log = await served(2500, [2500]);
    const report = await verifyRemoteLog(log.reader);
    expect(report).toMatchObject({
      ok: true,
      keySource: 'first-use',
      downloaded: 2500,
      previousSize: null,
    });
    expect(verified(report)).toMatchObject({ size: 2500, verifierKey: log.verifierKey });
  });

  it('resumes from the remembered frontier: proves consistency and reads only new entries', async () => {
    const log = await served(120, [120]);
    const first = verified(await verifyRemoteLog(log.reader, { verifierKey: log.verifierKey }));
    await log.grow(45);
    await log.checkpoint();
    const second = await verifyRemoteLog(log.reader, { previous: first });
    expect(second).toMatchObject({
      ok: true,
      keySource: 'remembered',
      downloaded: 45,
      previousSize: 120,
    });
    const fresh = verified(await verifyRemoteLog(log.reader, { verifierKey: log.verifierKey }));
    expect(verified(second).rootHash).toEqual(fresh.rootHash);
    expect(await verifyRemoteLog(log.reader, { previous: verified(second) })).toMatchObject({
      ok: true,
      downloaded: 0,
    });
  });

  it('refuses another key, and a key other than the remembered one', async () => {
    const log = await served(10, [10]);
    const other = generateSigner('audit.example/declog').verifierKey;
    expect(await verifyRemoteLog(log.reader, { verifierKey: other })).toMatchObject({
      ok: false,
      problem: { code: 'bad-checkpoint' },
    });
    const first = verified(await verifyRemoteLog(log.reader));
    expect(
      await verifyRemoteLog(log.reader, { previous: first, verifierKey: other }),
    ).toMatchObject({
      ok: false,
      problem: { code: 'key-changed' },
    });
    expect(
      await verifyRemoteLog(log.reader, { previous: first, origin: 'x.example/y' }),
    ).toMatchObject({
      ok: false,
      problem: { code: 'origin-changed' },
    });
  });

  it('refuses, across runs, a tree that shrank and histories that were rewritten', async () => {
    const before = verified(await verifyRemoteLog((await served(120, [120])).reader));
    const shorter = await served(100, [100]);
    expect(await verifyRemoteLog(shorter.reader, { previous: before })).toMatchObject({
      ok: false,
      problem: { code: 'tree-shrank', seqRange: [100, 119] },
    });
    const forked = await served(150, [150], { event: forkedAt(50) });
    expect(await verifyRemoteLog(forked.reader, { previous: before })).toMatchObject({
      ok: false,
      problem: { code: 'history-rewritten', seqRange: [0, 119] },
    });
    const sameSize = await served(120, [120], { event: forkedAt(50) });
    expect(await verifyRemoteLog(sameSize.reader, { previous: before })).toMatchObject({
      ok: false,
      problem: { code: 'history-rewritten' },
    });
  });
});

describe('verifyRemoteLog distrusts what the server serves', () => {
  type Item = { seq: number; leaf: string; leaf_hash: string; event: Record<string, unknown> };
  const lying = (reader: LogReader, change: (items: Item[]) => Item[]): LogReader => ({
    ...reader,
    entries: async (from, limit) => {
      const page = (await reader.entries(from, limit)) as { items: Item[] };
      return { ...page, items: change(page.items) };
    },
  });
  const at = (seq: number, change: (item: Item) => Item) => (items: Item[]) =>
    items.map((item) => (item.seq === seq ? change(item) : item));
  const b64 = (text: string) => Buffer.from(text).toString('base64');

  it.each([
    [
      'an event that is not its leaf',
      at(7, (i) => ({ ...i, event: { ...i.event, id: 'x' } })),
      'edited-entry',
    ],
    [
      'a leaf_hash that is not the leaf’s',
      at(7, (i) => ({ ...i, leaf_hash: b64('x'.repeat(32)) })),
      'bad-leaf-hash',
    ],
    ['a skipped entry', (items: Item[]) => items.filter((i) => i.seq !== 7), 'missing-entry'],
    [
      'an entry served twice',
      (items: Item[]) => items.map((i) => (i.seq === 8 ? items[7]! : i)),
      'reordered-entry',
    ],
    [
      'an entry replaced consistently (leaf, hash and event)',
      at(7, (i) => {
        const event = { ...i.event, recorded_at: '2030-01-01T00:00:00.000Z' };
        const leaf = canonicalJson(event);
        const hash = Buffer.from(leafHash(Buffer.from(leaf))).toString('base64');
        return { ...i, leaf: b64(leaf), leaf_hash: hash, event };
      }),
      'root-mismatch',
    ],
    [
      'fewer entries than signed',
      (items: Item[]) => items.filter((i) => i.seq < 20),
      'log-truncated',
    ],
  ])('%s', async (_name, change, code) => {
    const log = await served(30, [30]);
    const report = await verifyRemoteLog(lying(log.reader, change as (items: Item[]) => Item[]), {
      verifierKey: log.verifierKey,
    });
    expect(report).toMatchObject({ ok: false, problem: { code } });
  });

  it('a consistency proof that does not prove', async () => {
    const log = await served(40, [40]);
    const first = verified(await verifyRemoteLog(log.reader));
    await log.grow(9);
    await log.checkpoint();
    const bad: LogReader = {
      ...log.reader,
      consistencyProof: async (from, to) => {
        const proof = (await log.reader.consistencyProof(from, to)) as { hashes: string[] };
        return { ...proof, hashes: proof.hashes.map(() => Buffer.alloc(32).toString('base64')) };
      },
    };
    expect(await verifyRemoteLog(bad, { previous: first })).toMatchObject({
      ok: false,
      problem: { code: 'history-rewritten' },
    });
  });
});

describe('verifyRemoteLog rejects every mutation of what a resumed run is served', () => {
  /** A log verified at 40 entries, then grown to 49: the next run needs a consistency proof. */
  async function grown() {
    const log = await served(40, [40]);
    const first = verified(await verifyRemoteLog(log.reader));
    await log.grow(9);
    await log.checkpoint();
    const proof = (await log.reader.consistencyProof(40, 49)) as {
      from: number;
      to: number;
      hashes: string[];
    };
    const note = await log.reader.checkpoint();
    expect(await verifyRemoteLog(log.reader, { previous: first })).toMatchObject({ ok: true });
    return { log, first, proof, note };
  }
  const flipBit = (base64: string, byte: number) => {
    const bytes = Buffer.from(base64, 'base64');
    bytes[byte] = bytes[byte]! ^ 1;
    return bytes.toString('base64');
  };

  it('every hash of the consistency proof, bit by bit at each end, and its length', async () => {
    const { log, first, proof } = await grown();
    expect(proof.hashes.length).toBeGreaterThan(1);
    const corpus: [string, unknown][] = [];
    for (const [i, hash] of proof.hashes.entries()) {
      for (const byte of [0, 31]) {
        const hashes = proof.hashes.map((h, j) => (j === i ? flipBit(hash, byte) : h));
        corpus.push([`hash ${i} byte ${byte}`, { ...proof, hashes }]);
      }
    }
    corpus.push(['a hash dropped', { ...proof, hashes: proof.hashes.slice(1) }]);
    corpus.push(['a hash added', { ...proof, hashes: [...proof.hashes, proof.hashes[0]] }]);
    corpus.push(['hashes reversed', { ...proof, hashes: [...proof.hashes].reverse() }]);
    corpus.push(['no hashes', { ...proof, hashes: [] }]);
    corpus.push(['another from', { ...proof, from: 39 }]);
    corpus.push(['another to', { ...proof, to: 48 }]);
    corpus.push(['a hash that is not 32 bytes', { ...proof, hashes: ['AAAA', ...proof.hashes] }]);
    for (const [name, answer] of corpus) {
      const reader: LogReader = { ...log.reader, consistencyProof: async () => answer };
      const report = await verifyRemoteLog(reader, { previous: first });
      expect(report.ok, name).toBe(false);
      if (!report.ok) {
        expect(['history-rewritten', 'malformed-response'], name).toContain(report.problem.code);
      }
    }
  });

  it('every line of the checkpoint, and every byte of its signature', async () => {
    const { log, first, note } = await grown();
    const lines = note.split('\n');
    const sizeLine = 1;
    const rootLine = 2;
    const signatureLine = lines.findIndex((line) => line.startsWith('\u2014 '));
    const withLine = (at: number, text: string) =>
      lines.map((line, i) => (i === at ? text : line)).join('\n');
    const corpus: [string, string][] = [
      ['another origin', withLine(0, `${lines[0]}x`)],
      ['a larger size', withLine(sizeLine, '50')],
      ['a smaller size', withLine(sizeLine, '48')],
      ['another root', withLine(rootLine, flipBit(lines[rootLine]!, 0))],
      ['the previous checkpoint of another size', withLine(sizeLine, '40')],
    ];
    const [dash, name, signature] = lines[signatureLine]!.split(' ');
    const signatureBytes = Buffer.from(signature!, 'base64').length;
    for (let byte = 0; byte < signatureBytes; byte += 1) {
      const flipped = `${dash} ${name} ${flipBit(signature!, byte)}`;
      corpus.push([`signature byte ${byte}`, withLine(signatureLine, flipped)]);
    }
    for (const [what, text] of corpus) {
      const reader: LogReader = { ...log.reader, checkpoint: async () => text };
      const report = await verifyRemoteLog(reader, { previous: first });
      expect(report, what).toMatchObject({ ok: false, problem: { code: 'bad-checkpoint' } });
    }
    expect(corpus.length).toBe(5 + 68);
  });
});

describe('verifyRemoteLog reading back decision chains', () => {
  type Chain = Record<string, unknown> &
    Record<'actions' | 'outcomes' | 'proofs', Record<string, unknown>[]>;

  /** The honest log's reader, its chain answers changed by `edit`. */
  async function withChains(edit: (chain: Chain, id: string) => Chain | Promise<Chain>) {
    const log = await served(40, [40]);
    const reader: LogReader = {
      ...log.reader,
      decisionWithProofs: async (id) =>
        edit((await log.reader.decisionWithProofs(id)) as Chain, id),
    };
    return { log, reader };
  }

  it('checks every chain against the entries downloaded, or as many as asked', async () => {
    const log = await served(40, [40]);
    expect(await verifyRemoteLog(log.reader, { chains: 'all' })).toMatchObject({
      ok: true,
      chains: 10,
    });
    expect(await verifyRemoteLog(log.reader, { chains: 3 })).toMatchObject({ ok: true, chains: 3 });
    expect(await verifyRemoteLog(log.reader)).toMatchObject({ ok: true, chains: 0 });
  });

  it.each<
    [string, (chain: Chain, id: string, log: SignedLog & { reader: LogReader }) => unknown, RegExp]
  >([
    [
      'an event left out',
      (chain) => ({
        ...chain,
        outcomes: [],
        proofs: chain.proofs.filter((p) => !chain.outcomes.some((o) => o['seq'] === p['seq'])),
      }),
      /names it, the chain served leaves it out/,
    ],
    [
      'an event in the list of another type',
      (chain) => ({ ...chain, actions: [...chain.actions, ...chain.outcomes], outcomes: [] }),
      /lists a outcome among its actions/,
    ],
    [
      "another decision's chain",
      async (_, id, log) => log.reader.decisionWithProofs(id === 'd-0' ? 'd-4' : 'd-0'),
      /wrong-decision|is seq/,
    ],
    [
      'an event linked to another decision than its leaf',
      (chain) => ({
        ...chain,
        actions: chain.actions.map((a) => ({ ...a, decision_id: 'd-8' })),
      }),
      /bad-inclusion-proof|wrong-decision/,
    ],
  ])('names the chain that serves %s', async (_, edit, reason) => {
    const log = await served(40, [40]);
    const reader: LogReader = {
      ...log.reader,
      decisionWithProofs: async (id) =>
        edit((await log.reader.decisionWithProofs(id)) as Chain, id, log),
    };
    const report = await verifyRemoteLog(reader, { chains: 'all' });
    expect(report).toMatchObject({ ok: false, problem: { code: 'bad-chain' } });
    if (!report.ok) expect(report.problem.reason).toMatch(reason);
  });

  it('skips a decision pruned since it was downloaded, and names a server error', async () => {
    const { reader } = await withChains((chain) => chain);
    const gone: LogReader = {
      ...reader,
      decisionWithProofs: async () => {
        throw new Error('GET http://log.test/v1/decisions/d-0?proof=true answered 410: pruned');
      },
    };
    expect(await verifyRemoteLog(gone, { chains: 'all' })).toMatchObject({ ok: true });
    const broken: LogReader = {
      ...reader,
      decisionWithProofs: async () => {
        throw new Error(
          'GET http://log.test/v1/decisions/d-0?proof=true answered 409: store_inconsistent',
        );
      },
    };
    expect(await verifyRemoteLog(broken, { chains: 'all' })).toMatchObject({
      ok: false,
      problem: {
        code: 'bad-chain',
        reason: expect.stringContaining('store_inconsistent') as string,
      },
    });
  });
});
