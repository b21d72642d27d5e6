import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  canonicalJson,
  generateSigner,
  leafHash,
  merkleRoot,
  parseSignerKey,
  parseVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  type PinnedLog,
} from '@declog/core';
import { openStore } from 'declog';
import { killChildProcesses } from './helpers/child-processes.js';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  idOf,
  outcomeEvent,
  type TestEvent,
} from './helpers/event-factory.js';
import { expectApiError, getJson, ingestOk, type Json } from './helpers/http-api.js';
import {
  fetchCheckpoint,
  fetchEntry,
  fetchProof,
  fetchVerifierKey,
  fromBase64,
  toBase64,
  toHex,
  waitForCheckpoint,
  type LogEntry,
  type SignedCheckpoint,
} from './helpers/ledger-http-client.js';
import { runCli } from './helpers/run-cli.js';
import { type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore, type TestStore } from './helpers/test-store.js';

// A client that distrusts the server: everything below is checked through the HTTP API with
// the core's verifiers, against roots it computes itself or that a pinned key signed.

const tmp = useTempDir('ledger-http');
afterAll(killChildProcesses);

/** The log most tests share, made in the first beforeAll. */
let main: TestStore;
const BATCH_SIZES = [1, 2, 3, 5, 8, 4, 1, 7];
const LINKED = [actionEvent, outcomeEvent, annotationEvent] as const;

/**
 * Batches of decision chains in which later events often link to decisions of earlier
 * batches, so that one chain's events sit under several checkpoints.
 */
function chainBatches(sizes: readonly number[], decisionIds: string[]): TestEvent[][] {
  let k = decisionIds.length * 3;
  return sizes.map((size) =>
    Array.from({ length: size }, () => {
      k += 1;
      if (k % 3 === 1 || decisionIds.length === 0) {
        const decision = decisionEvent();
        decisionIds.push(idOf(decision));
        return decision;
      }
      const target = decisionIds[(k * 5) % decisionIds.length]!;
      return LINKED[k % LINKED.length]!(target);
    }),
  );
}

const hex = toHex;
const ok = { ok: true };

let server: ServerProcess;
let pinned: PinnedLog;
/** What the client sent, by seq. */
const sent: TestEvent[] = [];
const decisionIds: string[] = [];
/** Every checkpoint the client was served, in the order it saw them. */
const seen: SignedCheckpoint[] = [];
/** Sizes at which an ingest batch ended. */
const batchEnds: number[] = [];
let entries: LogEntry[] = [];

/** Posts one batch, then waits (at most 1 s after the ack) for a checkpoint that covers it. */
async function ingestBatch(url: string, batch: readonly TestEvent[]): Promise<void> {
  const results = await ingestOk(url, batch);
  const acknowledged = performance.now();
  expect(results.map((r) => r.status)).toEqual(batch.map(() => 'created'));
  expect(results.map((r) => r.seq)).toEqual(batch.map((_, i) => sent.length + i));
  sent.push(...batch);
  batchEnds.push(sent.length);
  seen.push(...(await waitForCheckpoint(url, pinned, sent.length, acknowledged)));
}

/** The signed root for `size` if a checkpoint of that size was seen. */
const signedRoot = (size: number) => seen.find((c) => c.size === size)?.rootHash;
const leafHashes = () => entries.map((e) => e.leafHash);
const computedRoot = (size: number) => merkleRoot(leafHashes().slice(0, size));

describe('a log served by `declog serve`, checked by a client that trusts only the verifiers', () => {
  beforeAll(async () => {
    main = await testStore(tmp, 'main');
    server = await startServerOn(main);
    const verifierKey = await fetchVerifierKey(server.url);
    // A key created on first start is named after the log's origin (c2sp.org/tlog-checkpoint).
    pinned = { origin: verifierKey.split('+')[0]!, verifierKey };
  });

  it('signs the empty log at start: size 0, root SHA-256(""), default origin declog.local/log/…', async () => {
    const checkpoint = await fetchCheckpoint(server.url, pinned);
    seen.push(checkpoint);
    expect(checkpoint.origin).toMatch(/^declog\.local\/log\/[0-9a-f]{16}$/);
    expect({
      size: checkpoint.size,
      root: hex(checkpoint.rootHash),
      ext: checkpoint.extensions,
    }).toEqual({ size: 0, root: hex(EMPTY_ROOT), ext: [] });
    // The verification is not vacuous: another origin or another key is refused.
    const otherKey = generateSigner(pinned.origin).verifierKey;
    const wrongKey = verifyCheckpoint(checkpoint.note, { ...pinned, verifierKey: otherKey });
    const wrongOrigin = verifyCheckpoint(checkpoint.note, {
      ...pinned,
      origin: 'other.example/log',
    });
    expect([wrongKey.ok, wrongOrigin.ok]).toEqual([false, false]);
  });

  it('serves a checkpoint covering each acknowledged batch within 1 second', async () => {
    for (const batch of chainBatches(BATCH_SIZES, decisionIds)) {
      await ingestBatch(server.url, batch);
    }
    const sizes = seen.map((c) => c.size);
    expect(sizes, 'checkpoint sizes went backwards').toEqual([...sizes].sort((a, b) => a - b));
    // Nothing was appended while waiting, so each batch's end has a checkpoint of its own.
    for (const end of batchEnds) expect(sizes, `no checkpoint of size ${end}`).toContain(end);
  });

  it('serves every entry with leaf = canonical JSON of its event and leaf_hash = SHA-256(0x00 ‖ leaf)', async () => {
    entries = [];
    for (let seq = 0; seq < sent.length; seq++) {
      const entry = await fetchEntry(server.url, seq);
      expect(entry.event, `event at seq ${seq}`).toEqual({
        ...sent[seq],
        // The server records the key that posted an annotation (the test's admin key).
        ...(sent[seq]?.type === 'annotation' ? { posted_by: { key_id: 'admin' } } : {}),
        seq,
        recorded_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      entries.push(entry);
    }
    for (const seq of [sent.length, sent.length + 1, 10 ** 9]) {
      expectApiError(await getJson(server.url, `/v1/events/${seq}`), 404, 'not_found');
    }
  });

  it('signs roots equal to the roots the client computes from the leaves itself', async () => {
    const latest = await fetchCheckpoint(server.url, pinned);
    expect(latest.size).toBe(sent.length);
    for (const checkpoint of [...seen, latest]) {
      expect(hex(computedRoot(checkpoint.size)), `root of size ${checkpoint.size}`).toBe(
        hex(checkpoint.rootHash),
      );
    }
  });

  it('proves every seq included in the latest checkpoint (default size)', async () => {
    const latest = await fetchCheckpoint(server.url, pinned);
    for (let seq = 0; seq < latest.size; seq++) {
      const proof = await fetchProof(server.url, `/v1/log/proof/inclusion?seq=${seq}`);
      expect(proof.body, `inclusion of ${seq}`).toEqual({
        seq,
        tree_size: latest.size,
        hashes: expect.any(Array),
      });
      const leaf = entries[seq]!.leafHash;
      expect(verifyInclusion(leaf, seq, latest.size, proof.hashes, latest.rootHash)).toEqual(ok);
      // The same proof must not vouch for another leaf.
      const other = entries[(seq + 1) % latest.size]!.leafHash;
      expect(verifyInclusion(other, seq, latest.size, proof.hashes, latest.rootHash).ok).toBe(
        false,
      );
    }
  });

  it('proves every seq included for every explicit size, against signed or computed roots', async () => {
    let againstSigned = 0;
    for (let size = 1; size <= sent.length; size++) {
      const signed = signedRoot(size);
      if (signed) {
        againstSigned += 1;
        expect(hex(signed)).toBe(hex(computedRoot(size)));
      }
      const root = signed ?? computedRoot(size);
      for (let seq = 0; seq < size; seq++) {
        const path = `/v1/log/proof/inclusion?seq=${seq}&size=${size}`;
        const proof = await fetchProof(server.url, path);
        expect(proof.status, `${path}: ${JSON.stringify(proof.body)}`).toBe(200);
        expect(proof.body['tree_size'], path).toBe(size);
        const verified = verifyInclusion(entries[seq]!.leafHash, seq, size, proof.hashes, root);
        expect(verified, path).toEqual(ok);
      }
    }
    expect(againstSigned).toBeGreaterThanOrEqual(BATCH_SIZES.length);
  });

  it('proves consistency between every pair of checkpoints seen, and every pair of sizes', async () => {
    const signedSizes = [...new Set(seen.map((c) => c.size))].filter((s) => s > 0);
    for (const from of signedSizes) {
      for (const to of signedSizes.filter((s) => s >= from)) {
        const path = `/v1/log/proof/consistency?from=${from}&to=${to}`;
        const proof = await fetchProof(server.url, path);
        expect(proof.body, path).toEqual({ from, to, hashes: expect.any(Array) });
        const verified = verifyConsistency(
          from,
          to,
          proof.hashes,
          signedRoot(from)!,
          signedRoot(to)!,
        );
        expect(verified, path).toEqual(ok);
      }
    }
    for (let to = 1; to <= sent.length; to++) {
      for (let from = 1; from <= to; from++) {
        const path = `/v1/log/proof/consistency?from=${from}&to=${to}`;
        const proof = await fetchProof(server.url, path);
        expect(proof.status, `${path}: ${JSON.stringify(proof.body)}`).toBe(200);
        const roots = [computedRoot(from), computedRoot(to)] as const;
        expect(verifyConsistency(from, to, proof.hashes, ...roots), path).toEqual(ok);
      }
    }
  });

  it('answers ?proof=true with proofs of every event of a chain against a signed checkpoint', async () => {
    let proven = 0;
    for (const id of decisionIds) {
      const response = await getJson(server.url, `/v1/decisions/${id}?proof=true`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      const body = response.body;
      const verified = verifyCheckpoint(body['checkpoint'] as string, pinned);
      if (!verified.ok) expect.fail(`chain ${id}: checkpoint does not verify: ${verified.reason}`);
      const { size, rootHash } = verified.checkpoint;
      expect(body['tree_size']).toBe(size);
      const events = [
        body['decision'],
        ...(['actions', 'outcomes', 'annotations'] as const).flatMap((k) => body[k] as Json[]),
      ] as Json[];
      const proofs = body['proofs'] as { seq: number; leaf_hash: string; hashes: string[] }[];
      expect(proofs.map((p) => p.seq).sort((a, b) => a - b)).toEqual(
        events.map((e) => e['seq'] as number).sort((a, b) => a - b),
      );
      for (const proof of proofs) {
        const event = events.find((e) => e['seq'] === proof.seq)!;
        const leaf = leafHash(new TextEncoder().encode(canonicalJson(event)));
        expect(proof.leaf_hash, `leaf_hash of seq ${proof.seq}`).toBe(toBase64(leaf));
        expect(hex(leaf)).toBe(hex(entries[proof.seq]!.leafHash));
        const hashes = proof.hashes.map((h, i) => fromBase64(h, `proof of ${proof.seq} hash ${i}`));
        expect(
          verifyInclusion(leaf, proof.seq, size, hashes, rootHash),
          `seq ${proof.seq}`,
        ).toEqual(ok);
        proven += 1;
      }
    }
    expect(proven, 'every event belongs to exactly one chain').toBe(sent.length);
    const plain = await getJson(server.url, `/v1/decisions/${decisionIds[0]}?proof=false`);
    expect(Object.keys(plain.body)).not.toContain('proofs');
    const bad = await getJson(server.url, `/v1/decisions/${decisionIds[0]}?proof=yes`);
    expectApiError(bad, 400, 'invalid_query');
  });

  it('refuses bad proof and entry parameters with 400 and the error shape', async () => {
    const n = sent.length;
    const cases: [path: string, code: string, param: string][] = [
      ['/v1/log/proof/inclusion', 'invalid_parameter', 'seq'],
      [`/v1/log/proof/inclusion?seq=${n}`, 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=3&size=3', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=0&size=0', 'invalid_parameter', 'seq'],
      [`/v1/log/proof/inclusion?seq=0&size=${n + 1}`, 'invalid_parameter', 'size'],
      ['/v1/log/proof/inclusion?seq=-1', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=1.5', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=1e1', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=0x1', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=%201', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=abc', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=0&size=2.0', 'invalid_parameter', 'size'],
      ['/v1/log/proof/inclusion?seq=99999999999999999999', 'invalid_parameter', 'seq'],
      ['/v1/log/proof/inclusion?seq=0&foo=1', 'invalid_query', 'foo'],
      ['/v1/log/proof/inclusion?index=0', 'invalid_query', 'index'],
      ['/v1/log/proof/inclusion?seq=0&seq=1', 'invalid_query', 'seq'],
      [`/v1/log/proof/consistency?from=0&to=${n}`, 'invalid_parameter', 'from'],
      ['/v1/log/proof/consistency?from=3&to=2', 'invalid_parameter', 'from'],
      [`/v1/log/proof/consistency?from=1&to=${n + 1}`, 'invalid_parameter', 'to'],
      ['/v1/log/proof/consistency?to=2', 'invalid_parameter', 'from'],
      ['/v1/log/proof/consistency?from=1', 'invalid_parameter', 'to'],
      ['/v1/log/proof/consistency?from=1.0&to=2', 'invalid_parameter', 'from'],
      ['/v1/log/proof/consistency?from=1&to=two', 'invalid_parameter', 'to'],
      ['/v1/log/proof/consistency?from=-1&to=2', 'invalid_parameter', 'from'],
      ['/v1/log/proof/consistency?from=1&to=2&size=3', 'invalid_query', 'size'],
      ['/v1/events/abc', 'invalid_parameter', ''],
      ['/v1/events/-1', 'invalid_parameter', ''],
      ['/v1/events/1.5', 'invalid_parameter', ''],
    ];
    for (const [path, code, param] of cases) {
      const error = expectApiError(await getJson(server.url, path), 400, code);
      if (param !== '') {
        expect(
          error.details.map((d) => d.path),
          `${path}: ${error.message}`,
        ).toContain(param);
      }
    }
  });
});

describe('the signing key and origin across restarts', () => {
  const ORIGIN = 'example.org/declog/ledger-test';
  let originStore: TestStore;
  let envStore: TestStore;
  beforeAll(async () => {
    originStore = await testStore(tmp, 'origin');
    envStore = await testStore(tmp, 'env-key');
  });
  const envKey = generateSigner('example.org/declog/env-key');
  const envPinned = { origin: 'example.org/declog/env-key', verifierKey: envKey.verifierKey };

  /** Runs `declog serve` expecting it to refuse to start; returns its error output. */
  async function expectRefusal(
    store: TestStore,
    args: readonly string[],
    env: Record<string, string> = {},
  ) {
    const result = await runCli(['serve', '--port', '0', ...store.args, ...args], {
      env,
      cwd: store.cwd,
      timeoutMs: 15_000,
    });
    expect(
      { code: result.code, signal: result.signal, stdout: result.stdout },
      result.stderr,
    ).toEqual({ code: 1, signal: null, stdout: '' });
    return result.stderr;
  }

  it('creates its key file with mode 0600 on first start, holding the served key', () => {
    const keyFile = main.keyFile;
    expect((statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    const parsed = parseSignerKey(readFileSync(keyFile, 'utf8').trim());
    const served = parseVerifierKey(pinned.verifierKey as string);
    if (!parsed.ok || !served.ok) expect.fail('key texts do not parse');
    expect({ name: parsed.signer.name, id: parsed.signer.keyId }).toEqual({
      name: served.verifier.name,
      id: served.verifier.keyId,
    });
  });

  it('keeps every checkpoint it served, and keeps key and origin on restart; new checkpoints extend the old', async () => {
    const status = await server.stop();
    expect(status, server.stderr()).toEqual({ code: 0, signal: null });
    const store = await openStore(main.location, { mustExist: true });
    const kept = (await store.checkpoints()).map((c) => c.note);
    await store.close();
    for (const checkpoint of seen) expect(kept).toContain(checkpoint.note);

    server = await startServerOn(main);
    expect(await fetchVerifierKey(server.url)).toBe(pinned.verifierKey);
    const resumed = await fetchCheckpoint(server.url, pinned);
    expect({ size: resumed.size, root: hex(resumed.rootHash) }).toEqual({
      size: sent.length,
      root: hex(computedRoot(sent.length)),
    });

    for (const batch of chainBatches([3, 2], decisionIds)) await ingestBatch(server.url, batch);
    const latest = seen.at(-1)!;
    expect(latest.size).toBe(sent.length);
    for (const old of new Set(seen.map((c) => c.size).filter((s) => s > 0))) {
      const path = `/v1/log/proof/consistency?from=${old}&to=${latest.size}`;
      const proof = await fetchProof(server.url, path);
      const roots = [signedRoot(old)!, latest.rootHash] as const;
      expect(verifyConsistency(old, latest.size, proof.hashes, ...roots), path).toEqual(ok);
    }
    entries = [];
    for (let seq = 0; seq < sent.length; seq++) entries.push(await fetchEntry(server.url, seq));
    expect(hex(computedRoot(latest.size))).toBe(hex(latest.rootHash));

    // Any kept checkpoint is served by its size, so a client can prove any two consistent.
    for (const checkpoint of seen) {
      const kept = await getJson(server.url, `/v1/log/checkpoint?size=${checkpoint.size}`);
      expect(kept.body).toBe(checkpoint.note);
    }
    const issued = new Set(seen.map((c) => c.size));
    const never = [...Array(latest.size).keys()].find((size) => !issued.has(size));
    expect(never).toBeDefined();
    expectApiError(await getJson(server.url, `/v1/log/checkpoint?size=${never}`), 404, 'not_found');
    expectApiError(
      await getJson(server.url, '/v1/log/checkpoint?size=x'),
      400,
      'invalid_parameter',
    );
  });

  it('refuses a key file that others can read', async () => {
    const keyFile = main.keyFile;
    await server.stop();
    chmodSync(keyFile, 0o644);
    try {
      expect(await expectRefusal(main, [])).toMatch(/readable by others.*chmod 600/);
    } finally {
      chmodSync(keyFile, 0o600);
    }
  });

  it('fixes the origin with --origin on first start and refuses another one later', async () => {
    const first = await startServerOn(originStore, ['--origin', ORIGIN]);
    const verifierKey = await fetchVerifierKey(first.url);
    expect(verifierKey.split('+')[0], 'key name').toBe(ORIGIN);
    const originPinned = { origin: ORIGIN, verifierKey };
    const results = await ingestOk(first.url, chainBatches([3], [])[0]!);
    await waitForCheckpoint(first.url, originPinned, results.length, performance.now());
    await first.stop();

    for (const args of [[], ['--origin', ORIGIN]]) {
      const again = await startServerOn(originStore, args);
      expect(await fetchVerifierKey(again.url)).toBe(verifierKey);
      expect((await fetchCheckpoint(again.url, originPinned)).size).toBe(3);
      await again.stop();
    }

    const stderr = await expectRefusal(originStore, ['--origin', 'example.org/other']);
    expect(stderr).toContain(`this log's origin is ${ORIGIN}`);
    expect(stderr).toContain('cannot be changed to example.org/other');
    const after = await startServerOn(originStore);
    expect((await fetchCheckpoint(after.url, originPinned)).origin).toBe(ORIGIN);
    await after.stop();
  });

  it('takes the signing key from $DECLOG_SIGNING_KEY, creating no key file', async () => {
    const env = { DECLOG_SIGNING_KEY: envKey.signerKey };
    const envServer = await startServerOn(envStore, ['--origin', envPinned.origin], env);
    // Pinned from our own key, not from what the server says.
    expect(await fetchVerifierKey(envServer.url)).toBe(envKey.verifierKey);
    const results = await ingestOk(envServer.url, chainBatches([4], [])[0]!);
    const checkpoints = await waitForCheckpoint(
      envServer.url,
      envPinned,
      results.length,
      performance.now(),
    );
    expect(checkpoints.at(-1)!.size).toBe(4);
    expect((await envServer.stop()).code).toBe(0);
    expect(existsSync(envStore.keyFile), 'a key file was created').toBe(false);
  });

  it('refuses a different or missing signing key on an existing log', async () => {
    const other = generateSigner(envPinned.origin).signerKey;
    const fromEnv = await expectRefusal(envStore, [], { DECLOG_SIGNING_KEY: other });
    expect(fromEnv).toContain(`is not this log's key ${envKey.verifierKey}`);

    const otherFile = tmp.file('other.key');
    writeFileSync(otherFile, `${other}\n`, { mode: 0o600 });
    const fromFile = await expectRefusal(main, ['--signing-key', otherFile]);
    expect(fromFile).toContain(`is not this log's key ${pinned.verifierKey as string}`);

    // Without any key the log is refused too, and no stray key file is made up for it.
    const noKey = await expectRefusal(envStore, []);
    expect(noKey).toMatch(
      /no signing key at \S*(env-key\.db\.key|declog-signing\.key), and this log already has one/,
    );
    expect(existsSync(envStore.keyFile), 'a key file was created').toBe(false);

    // The refusals changed nothing: the right key still opens the log, here from a file,
    // which wins over a (wrong) key in the environment as a flag should.
    const rightFile = tmp.file('env-key.key');
    writeFileSync(rightFile, `${envKey.signerKey}\n`, { mode: 0o600 });
    const reopened = await startServerOn(envStore, ['--signing-key', rightFile], {
      DECLOG_SIGNING_KEY: other,
    });
    expect(await fetchVerifierKey(reopened.url)).toBe(envKey.verifierKey);
    expect((await fetchCheckpoint(reopened.url, envPinned)).size).toBe(4);
    await reopened.stop();
  });
});
