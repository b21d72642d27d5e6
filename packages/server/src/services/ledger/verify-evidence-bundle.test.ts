import { afterEach, describe, expect, it } from 'vitest';
import { generateSigner, type EventStore } from '@declog/core';
import { appOnStore } from './fixtures/app-on-store.js';
import { remoteLogReader } from '../../client/remote-log-reader.js';
import { bundleFromServer } from './bundle-from-server.js';
import { bundleFromStore } from './bundle-from-store.js';
import { injectFetch } from './fixtures/inject-fetch.js';
import { ORIGIN, signedLog } from './fixtures/signed-log.js';
import { verifyEvidenceBundle } from './verify-evidence-bundle.js';

const opened: EventStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

async function log(...args: Parameters<typeof signedLog>) {
  const made = await signedLog(...args);
  opened.push(made.store);
  return made;
}

type Entry = {
  seq: number;
  leaf: string;
  inclusion_proof: string[];
  event: Record<string, unknown>;
};
const entriesOf = (bundle: Record<string, unknown>) => bundle['entries'] as Entry[];

describe('evidence bundles', () => {
  it('prove every event of a chain against the latest checkpoint', async () => {
    const { store, verifierKey } = await log(90, [90]);
    const bundle = await bundleFromStore(store, 'd-40');
    expect(entriesOf(bundle).map((e) => e.seq)).toEqual([40, 41, 42, 43]);
    const report = verifyEvidenceBundle(bundle, { verifierKey });
    expect(report).toMatchObject({ ok: true, decisionId: 'd-40', origin: ORIGIN, treeSize: 90 });
    expect(report.ok && report.events.map((e) => e.type)).toEqual([
      'decision',
      'action',
      'outcome',
      'annotation',
    ]);
  });

  it('are the same whether built from the store or from the server', async () => {
    const { store, identity } = await log(50, [50]);
    const app = await appOnStore(store, identity);
    const reader = remoteLogReader({ url: 'http://log.test', fetch: injectFetch(app) });
    expect(await bundleFromServer(reader, 'd-8')).toEqual(await bundleFromStore(store, 'd-8'));
  });

  it('get a checkpoint issued when none covers the chain, or fail without a signer', async () => {
    const signed = await log(60, [20]);
    await expect(bundleFromStore(signed.store, 'd-40')).rejects.toThrow(
      /no signed checkpoint covers seq 43 .*latest signs 20 entries/,
    );
    const bundle = await bundleFromStore(signed.store, 'd-40', () => signed.checkpoint());
    expect(bundle['tree_size']).toBe(60);
    expect(verifyEvidenceBundle(bundle, { verifierKey: signed.verifierKey }).ok).toBe(true);
  });

  it('are refused with another key or another origin', async () => {
    const { store, verifierKey } = await log(12, [12]);
    const bundle = await bundleFromStore(store, 'd-4');
    expect(
      verifyEvidenceBundle(bundle, { verifierKey: generateSigner(ORIGIN).verifierKey }),
    ).toMatchObject({ ok: false, problem: { code: 'bad-checkpoint' } });
    expect(
      verifyEvidenceBundle(bundle, { verifierKey, origin: 'other.example/log' }),
    ).toMatchObject({
      ok: false,
      problem: { code: 'bad-checkpoint' },
    });
  });

  it.each([
    [
      'a changed inclusion hash',
      (e: Entry) => (e.inclusion_proof[0] = Buffer.alloc(32).toString('base64')),
      'bad-inclusion-proof',
    ],
    ['a changed event', (e: Entry) => (e.event['id'] = 'd-0'), 'edited-entry'],
    ['another seq', (e: Entry) => (e.seq += 1), 'reordered-entry'],
    [
      'a changed leaf',
      (e: Entry) => (e.leaf = Buffer.from('{}').toString('base64')),
      'edited-entry',
    ],
  ])('are refused with %s', async (_name, change, code) => {
    const { store, verifierKey } = await log(30, [30]);
    const bundle = await bundleFromStore(store, 'd-16');
    change(entriesOf(bundle)[1]!);
    expect(verifyEvidenceBundle(bundle, { verifierKey })).toMatchObject({
      ok: false,
      problem: { code, seq: expect.any(Number) },
    });
  });

  it('are refused when an entry belongs to another decision', async () => {
    const { store, verifierKey } = await log(30, [30]);
    const bundle = await bundleFromStore(store, 'd-16');
    entriesOf(bundle).push(entriesOf(await bundleFromStore(store, 'd-20'))[1]!);
    expect(verifyEvidenceBundle(bundle, { verifierKey })).toMatchObject({
      ok: false,
      problem: { code: 'wrong-decision', seq: 21 },
    });
  });
});
