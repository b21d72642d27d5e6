import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateSigner,
  merkleRoot,
  parseSignerKey,
  verifyCheckpoint,
  verifyInclusion,
} from '@declog/core';
import { openSqliteDatabase, serve, type RunningServer } from 'declog';
import { fromBase64 } from './helpers/ledger-http-client.js';
import { useTempDir } from './helpers/temp-dir.js';

// The worked example of docs/ledger.md, recomputed: each code block marked
// `<!-- example: NAME -->` must equal what this file derives from a real server run with a
// fixed origin, key and clock, and the hashes and signature are recomputed with node:crypto
// alone, the way an auditor following the document would.

const DOC_PATH = new URL('../docs/ledger.md', import.meta.url);
const EVENTS_PATH = new URL('../docs/examples/events.ndjson', import.meta.url);

const ORIGIN = 'log.example/declog';
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const RECORDED_AT = '2026-11-27T09:00:00.000Z';
const PROVEN_SEQ = 2;

const tmp = useTempDir('ledger-doc');

const sha256 = (...parts: Uint8Array[]) =>
  new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
const byte = (b: number) => Uint8Array.of(b);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** The fields of `name+keyid+base64key`; the base64 alphabet has "+" too, so split twice only. */
function keyFields(text: string): { name: string; keyId: string; key: string } {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  return {
    name: text.slice(0, first),
    keyId: text.slice(first + 1, second),
    key: text.slice(second + 1),
  };
}

/** The code blocks of the document marked `<!-- example: NAME -->`, by name. */
function exampleBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of markdown.matchAll(
    /<!-- example: ([a-z0-9-]+) -->\s*```[a-z]*\n([\s\S]*?)\n```/g,
  )) {
    const [, name = '', text = ''] = match;
    expect(blocks.has(name), `example ${name} appears twice`).toBe(false);
    blocks.set(name, text);
  }
  const markers = markdown.match(/<!-- example: /g)?.length ?? 0;
  expect(markers, 'an example marker is not followed by a code block').toBe(blocks.size);
  return blocks;
}

/** What the server answers for the example log, read over HTTP. */
interface Served {
  readonly verifierKey: string;
  readonly leaves: readonly Uint8Array[];
  readonly leafHashes: readonly Uint8Array[];
  readonly checkpoint: string;
  readonly inclusionText: string;
}

const ADMIN_KEY = 'example-admin-key-0123456789';
let server: RunningServer;
let served: Served;
const lines = readFileSync(EVENTS_PATH, 'utf8').trimEnd().split('\n');
const { signerKey, verifierKey } = generateSigner(ORIGIN, { seed: SEED });

beforeAll(async () => {
  const parsed = parseSignerKey(signerKey);
  if (!parsed.ok) throw new Error(parsed.reason);
  server = await serve({
    database: openSqliteDatabase(tmp.file('example.db')),
    adminKey: ADMIN_KEY,
    identity: { origin: ORIGIN, signer: parsed.signer, verifierKey },
    host: '127.0.0.1',
    port: 0,
    now: () => new Date(RECORDED_AT),
  });
  const posted = await fetch(`${server.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN_KEY}` },
    body: readFileSync(EVENTS_PATH),
  });
  expect(posted.status, await posted.clone().text()).toBe(200);
  const text = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }).then((r) =>
      r.text(),
    );
  const entries = await Promise.all(
    lines.map(
      async (_, seq) => JSON.parse(await text(`/v1/events/${seq}`)) as Record<string, string>,
    ),
  );
  // Asking for a proof under the latest checkpoint signs one covering the seq first.
  const inclusionText = await text(`/v1/log/proof/inclusion?seq=${PROVEN_SEQ}`);
  served = {
    verifierKey: (await text('/v1/log/key')).trim(),
    leaves: entries.map((e, seq) => fromBase64(e['leaf'], `leaf ${seq}`)),
    leafHashes: entries.map((e, seq) => fromBase64(e['leaf_hash'], `leaf_hash ${seq}`)),
    checkpoint: await text('/v1/log/checkpoint'),
    inclusionText,
  };
});
afterAll(() => server?.close());

/** RFC 9162 §2.1.3.2, written out step by step as the document shows it. */
function inclusionSteps(seq: number, size: number, leaf: Uint8Array, proof: Uint8Array[]) {
  const out = [`start   fn = ${seq}, sn = ${size - 1}, r = L${seq} = ${hex(leaf)}`];
  let fn = seq;
  let sn = size - 1;
  let r = leaf;
  proof.forEach((p, i) => {
    let how: string;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(byte(1), p, r);
      how = `${fn % 2 === 1 ? `fn = ${fn} is odd` : `fn = sn = ${fn}`}, so p${i} is on the left: r = SHA-256(0x01 ‖ p${i} ‖ r)`;
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = sha256(byte(1), r, p);
      how = `fn = ${fn} is even and below sn = ${sn}, so p${i} is on the right: r = SHA-256(0x01 ‖ r ‖ p${i})`;
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
    out.push(
      `step ${i}  p${i} = ${hex(p)}`,
      `        ${how}`,
      `        r = ${hex(r)}; then fn = ${fn}, sn = ${sn}`,
    );
  });
  return { text: out, root: r, done: sn === 0 };
}

/** Every example block of the document, derived from the served log and independent hashing. */
function expectedBlocks(): Map<string, string> {
  const { leaves, leafHashes, checkpoint } = served;
  const typedKey = fromBase64(keyFields(verifierKey).key, 'verifier key');
  const publicKey = typedKey.subarray(1);
  const keyHash = sha256(utf8(ORIGIN), byte(0x0a), byte(0x01), publicKey);

  const [l0, l1, l2, l3] = leafHashes.map((h) => h);
  const n01 = sha256(byte(1), l0!, l1!);
  const n23 = sha256(byte(1), l2!, l3!);
  const root = sha256(byte(1), n01, n23);

  const [body = '', signatureBlock = ''] = checkpoint.split('\n\n');
  const signatureLine = signatureBlock.trimEnd();
  const payload = fromBase64(signatureLine.split(' ')[2], 'signature');
  const signature = payload.subarray(4);
  const proof = (JSON.parse(served.inclusionText) as { hashes: string[] }).hashes.map((h, i) =>
    fromBase64(h, `proof hash ${i}`),
  );
  const steps = inclusionSteps(PROVEN_SEQ, leaves.length, leafHashes[PROVEN_SEQ]!, proof);

  return new Map([
    [
      'setup',
      [
        `origin       ${ORIGIN}`,
        `key seed     ${hex(SEED)}`,
        `recorded_at  ${RECORDED_AT}`,
        `events       docs/examples/events.ndjson, posted in one batch (seq 0 to ${lines.length - 1})`,
      ].join('\n'),
    ],
    ['signer-key', signerKey],
    ['verifier-key', served.verifierKey],
    [
      'key-id',
      [
        `public key    ${hex(publicKey)}`,
        `SHA-256(name ‖ 0x0a ‖ 0x01 ‖ public key)`,
        `            = ${hex(keyHash)}`,
        `key id        ${hex(keyHash.subarray(0, 4))}`,
      ].join('\n'),
    ],
    ['leaf-0', Buffer.from(leaves[0]!).toString('utf8')],
    ['leaf-hash-0', [`hex     ${hex(l0!)}`, `base64  ${b64(l0!)}`].join('\n')],
    ['leaf-hashes', leafHashes.map((h, seq) => `L${seq} = ${hex(h)}`).join('\n')],
    [
      'root',
      [
        `N(0,2) = SHA-256(0x01 ‖ L0 ‖ L1)         = ${hex(n01)}`,
        `N(2,4) = SHA-256(0x01 ‖ L2 ‖ L3)         = ${hex(n23)}`,
        `root   = SHA-256(0x01 ‖ N(0,2) ‖ N(2,4)) = ${hex(root)}`,
        `root in base64: ${b64(root)}`,
      ].join('\n'),
    ],
    ['checkpoint', checkpoint.slice(0, -1)],
    [
      'signature',
      [
        `signed message  the ${utf8(`${body}\n`).length} bytes of the body, up to and including its last newline`,
        `key id          ${hex(payload.subarray(0, 4))}`,
        `signature       ${hex(signature)}`,
      ].join('\n'),
    ],
    ['inclusion-proof', served.inclusionText],
    [
      'inclusion-steps',
      [
        ...steps.text,
        `end     sn = 0 and r equals the checkpoint's root: seq ${PROVEN_SEQ} is in the tree of size ${leaves.length}`,
      ].join('\n'),
    ],
  ]);
}

describe('the worked example in docs/ledger.md', () => {
  it('shows exactly the values a server run with its fixed origin, key and clock produces', () => {
    const shown = exampleBlocks(readFileSync(DOC_PATH, 'utf8'));
    const expected = expectedBlocks();
    expect([...shown.keys()].sort(), 'example blocks in the document').toEqual(
      [...expected.keys()].sort(),
    );
    for (const [name, text] of expected) {
      expect(shown.get(name), `example block "${name}"`).toBe(text);
    }
  });

  it('agrees with an independent reading of the format: leaves, hashes, root, key id, signature', () => {
    const { leaves, leafHashes, checkpoint } = served;
    expect(served.verifierKey).toBe(verifierKey);
    lines.forEach((line, seq) => {
      const stored = { ...(JSON.parse(line) as object), seq, recorded_at: RECORDED_AT };
      expect(Buffer.from(leaves[seq]!).toString('utf8'), `leaf ${seq}`).toBe(canonicalJson(stored));
      expect(hex(leafHashes[seq]!), `leaf hash ${seq}`).toBe(hex(sha256(byte(0), leaves[seq]!)));
    });
    const root = sha256(
      byte(1),
      sha256(byte(1), leafHashes[0]!, leafHashes[1]!),
      sha256(byte(1), leafHashes[2]!, leafHashes[3]!),
    );
    expect(hex(root)).toBe(hex(merkleRoot(leafHashes)));

    const [body = '', signatureBlock = ''] = checkpoint.split('\n\n');
    expect(`${body}\n`).toBe(`${ORIGIN}\n${leaves.length}\n${b64(root)}\n`);
    const signatureLine = signatureBlock.trimEnd();
    expect(signatureLine.startsWith(`\u2014 ${ORIGIN} `)).toBe(true);
    const payload = fromBase64(signatureLine.split(' ')[2], 'signature');
    const typedKey = fromBase64(keyFields(verifierKey).key, 'verifier key');
    const keyId = sha256(utf8(ORIGIN), byte(0x0a), typedKey).subarray(0, 4);
    expect(hex(payload.subarray(0, 4))).toBe(hex(keyId));
    expect(keyFields(verifierKey).keyId).toBe(hex(keyId));
    const spki = Buffer.concat([
      Buffer.from('302a300506032b6570032100', 'hex'),
      typedKey.subarray(1),
    ]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(null, utf8(`${body}\n`), key, payload.subarray(4)), 'Ed25519 signature').toBe(
      true,
    );
    expect(verifyCheckpoint(checkpoint, { origin: ORIGIN, verifierKey }).ok).toBe(true);

    const proof = JSON.parse(served.inclusionText) as {
      seq: number;
      tree_size: number;
      hashes: string[];
    };
    expect({ seq: proof.seq, size: proof.tree_size }).toEqual({
      seq: PROVEN_SEQ,
      size: leaves.length,
    });
    const hashes = proof.hashes.map((h, i) => fromBase64(h, `proof hash ${i}`));
    const steps = inclusionSteps(PROVEN_SEQ, leaves.length, leafHashes[PROVEN_SEQ]!, hashes);
    expect({ done: steps.done, root: hex(steps.root) }).toEqual({ done: true, root: hex(root) });
    expect(
      verifyInclusion(leafHashes[PROVEN_SEQ]!, PROVEN_SEQ, leaves.length, hashes, root).ok,
    ).toBe(true);
  });
});
