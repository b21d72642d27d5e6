import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  consistencyRanges,
  generateSigner,
  inclusionRanges,
  merkleRoot,
  parseSignerKey,
  verifyCheckpoint,
  verifyConsistency,
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
const SECOND_BATCH_PATH = new URL('../docs/examples/events-second-batch.ndjson', import.meta.url);

const ORIGIN = 'log.example/declog';
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const RECORDED_AT = '2026-11-27T09:00:00.000Z';
const SECOND_RECORDED_AT = '2027-05-28T09:00:00.000Z';
const PROVEN_SEQ = 2;
// A size that is not a power of two, so that its consistency proof takes the general path.
const GENERAL_FROM = 3;

const tmp = useTempDir('ledger-doc');

const sha256 = (...parts: Uint8Array[]) =>
  new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
const byte = (b: number) => Uint8Array.of(b);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const half = (n: number) => Math.floor(n / 2);

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
  /** Every leaf of the log once both batches are in, and its leaf hash. */
  readonly leaves: readonly Uint8Array[];
  readonly leafHashes: readonly Uint8Array[];
  /** The latest checkpoint after the first batch (size 4). */
  readonly checkpoint: string;
  readonly inclusionText: string;
  /** The checkpoint after the second batch (size 7) and the proofs shown against it. */
  readonly grownCheckpoint: string;
  readonly consistencyText: string;
  readonly generalConsistencyText: string;
  readonly rightEdgeInclusionText: string;
}

const ADMIN_KEY = 'example-admin-key-0123456789';
let server: RunningServer;
let served: Served;
const lines = readFileSync(EVENTS_PATH, 'utf8').trimEnd().split('\n');
const secondLines = readFileSync(SECOND_BATCH_PATH, 'utf8').trimEnd().split('\n');
const firstSize = lines.length;
const grownSize = firstSize + secondLines.length;
// The last leaf of the grown tree has no sibling at the lowest level: its path crosses the
// incomplete right edge.
const rightEdgeSeq = grownSize - 1;
const { signerKey, verifierKey } = generateSigner(ORIGIN, { seed: SEED });

beforeAll(async () => {
  const parsed = parseSignerKey(signerKey);
  if (!parsed.ok) throw new Error(parsed.reason);
  let clock = RECORDED_AT;
  server = await serve({
    database: openSqliteDatabase(tmp.file('example.db')),
    adminKey: ADMIN_KEY,
    identity: { origin: ORIGIN, signer: parsed.signer, verifierKey },
    host: '127.0.0.1',
    port: 0,
    now: () => new Date(clock),
  });
  const post = async (file: URL) => {
    const posted = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN_KEY}` },
      body: readFileSync(file),
    });
    expect(posted.status, await posted.clone().text()).toBe(200);
  };
  const text = async (path: string) => {
    const answer = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const body = await answer.text();
    expect(answer.status, `GET ${path}: ${body}`).toBe(200);
    return body;
  };

  await post(EVENTS_PATH);
  // Asking for a proof under the latest checkpoint signs one covering the seq first.
  const inclusionText = await text(`/v1/log/proof/inclusion?seq=${PROVEN_SEQ}`);
  const checkpoint = await text('/v1/log/checkpoint');

  clock = SECOND_RECORDED_AT;
  await post(SECOND_BATCH_PATH);
  await text(`/v1/log/proof/inclusion?seq=${rightEdgeSeq}`);
  const entries = await Promise.all(
    Array.from(
      { length: grownSize },
      async (_, seq) => JSON.parse(await text(`/v1/events/${seq}`)) as Record<string, string>,
    ),
  );
  served = {
    verifierKey: (await text('/v1/log/key')).trim(),
    leaves: entries.map((e, seq) => fromBase64(e['leaf'], `leaf ${seq}`)),
    leafHashes: entries.map((e, seq) => fromBase64(e['leaf_hash'], `leaf_hash ${seq}`)),
    checkpoint,
    inclusionText,
    grownCheckpoint: await text(`/v1/log/checkpoint?size=${grownSize}`),
    consistencyText: await text(`/v1/log/proof/consistency?from=${firstSize}&to=${grownSize}`),
    generalConsistencyText: await text(
      `/v1/log/proof/consistency?from=${GENERAL_FROM}&to=${grownSize}`,
    ),
    rightEdgeInclusionText: await text(
      `/v1/log/proof/inclusion?seq=${rightEdgeSeq}&size=${grownSize}`,
    ),
  };
});
afterAll(() => server?.close());

/** The document's name of the node over leaves [start, end): `Li` for a leaf, else `N(i,j)`. */
const nodeName = (start: number, end: number) =>
  end - start === 1 ? `L${start}` : `N(${start},${end})`;

/**
 * Every node of the tree over the leaf hashes [0, size), by name: RFC 9162 §2.1.1 written out
 * again, independently of the core.
 */
function treeNodes(leafHashes: readonly Uint8Array[], size: number): Map<string, Uint8Array> {
  const nodes = new Map<string, Uint8Array>();
  const build = (start: number, end: number): Uint8Array => {
    let k = 1;
    while (2 * k < end - start) k *= 2;
    const hash =
      end - start === 1
        ? leafHashes[start]!
        : sha256(byte(1), build(start, start + k), build(start + k, end));
    nodes.set(nodeName(start, end), hash);
    return hash;
  };
  build(0, size);
  return nodes;
}

/** The lines that show `while fn is even and fn != 0` climbing, one per level it skips. */
function skipLevels(state: { fn: number; sn: number }): string[] {
  const out: string[] = [];
  while (state.fn % 2 === 0 && state.fn !== 0) {
    const before = state.fn;
    state.fn = half(state.fn);
    state.sn = half(state.sn);
    out.push(
      `        fn = ${before} is even and not 0: skip a level with no right sibling, fn = ${state.fn}, sn = ${state.sn}`,
    );
  }
  return out;
}

/** RFC 9162 §2.1.3.2, written out step by step as the document shows it. */
function inclusionSteps(seq: number, size: number, leaf: Uint8Array, proof: Uint8Array[]) {
  const out = [`start   fn = ${seq}, sn = ${size - 1}, r = L${seq} = ${hex(leaf)}`];
  const state = { fn: seq, sn: size - 1 };
  let r = leaf;
  proof.forEach((p, i) => {
    const { fn, sn } = state;
    out.push(`step ${i}  p${i} = ${hex(p)}`);
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(byte(1), p, r);
      out.push(
        `        ${fn % 2 === 1 ? `fn = ${fn} is odd` : `fn = sn = ${fn}`}, so p${i} is on the left: r = SHA-256(0x01 ‖ p${i} ‖ r)`,
        ...skipLevels(state),
      );
    } else {
      r = sha256(byte(1), r, p);
      out.push(
        `        fn = ${fn} is even and below sn = ${sn}, so p${i} is on the right: r = SHA-256(0x01 ‖ r ‖ p${i})`,
      );
    }
    state.fn = half(state.fn);
    state.sn = half(state.sn);
    out.push(`        r = ${hex(r)}; then fn = ${state.fn}, sn = ${state.sn}`);
  });
  return { text: out, root: r, done: state.sn === 0 };
}

/**
 * RFC 9162 §2.1.4.2, written out step by step as the document shows it, each hash named by
 * `nameOf` when it is a node of the example's trees.
 */
function consistencySteps(
  from: number,
  to: number,
  proof: Uint8Array[],
  oldRoot: Uint8Array,
  nameOf: (hash: Uint8Array) => string,
) {
  const named = (hash: Uint8Array) => `${nameOf(hash)} = ${hex(hash)}`;
  const powerOfTwo = (from & (from - 1)) === 0;
  const path = powerOfTwo ? [oldRoot, ...proof] : proof;
  const list = `[${path.map(nameOf).join(', ')}]`;
  const out = [
    powerOfTwo
      ? `start   m = ${from} is a power of two, so the old root goes in front: proof = ${list}`
      : `start   m = ${from} is not a power of two, so the proof is used as sent: ${list}`,
  ];
  const state = { fn: from - 1, sn: to - 1 };
  const climbs: string[] = [];
  while (state.fn % 2 === 1) {
    state.fn = half(state.fn);
    state.sn = half(state.sn);
    climbs.push(`fn = ${state.fn}, sn = ${state.sn}`);
  }
  out.push(
    `        fn = m - 1 = ${from - 1}, sn = n - 1 = ${to - 1}; ${
      climbs.length > 0 ? `while fn is odd: ${climbs.join('; ')}` : 'fn is even, nothing to skip'
    }`,
  );
  let fr = path[0]!;
  let sr = fr;
  out.push(`        fr = sr = c0 = ${named(fr)}`);
  path.slice(1).forEach((c, index) => {
    const i = index + 1;
    const { fn, sn } = state;
    out.push(`step ${i}  c${i} = ${named(c)}`);
    if (fn % 2 === 1 || fn === sn) {
      fr = sha256(byte(1), c, fr);
      sr = sha256(byte(1), c, sr);
      out.push(
        `        ${fn % 2 === 1 ? `fn = ${fn} is odd` : `fn = sn = ${fn}`}, so c${i} is on the left: fr = SHA-256(0x01 ‖ c${i} ‖ fr), sr = SHA-256(0x01 ‖ c${i} ‖ sr)`,
        ...skipLevels(state),
        `        fr = ${named(fr)}`,
      );
    } else {
      sr = sha256(byte(1), sr, c);
      out.push(
        `        fn = ${fn} is even and below sn = ${sn}, so c${i} is on the right: sr = SHA-256(0x01 ‖ sr ‖ c${i})`,
      );
    }
    state.fn = half(state.fn);
    state.sn = half(state.sn);
    out.push(`        sr = ${named(sr)}; then fn = ${state.fn}, sn = ${state.sn}`);
  });
  out.push(
    `end     sn = 0, fr equals the root of size ${from} and sr the root of size ${to}: the tree of size ${to} extends the tree of size ${from}`,
  );
  return { text: out, oldRoot: fr, newRoot: sr, done: state.sn === 0 };
}

const proofHashes = (answer: string) =>
  (JSON.parse(answer) as { hashes: string[] }).hashes.map((h, i) =>
    fromBase64(h, `proof hash ${i}`),
  );

/** The named nodes of both trees the example shows beyond size 4: size 7, and size 3. */
function exampleNodes(leafHashes: readonly Uint8Array[]) {
  const nodes = new Map([
    ...treeNodes(leafHashes, grownSize),
    ...treeNodes(leafHashes, GENERAL_FROM),
  ]);
  const names = new Map([...nodes].map(([name, hash]) => [hex(hash), name]));
  return {
    node: (name: string) => nodes.get(name) ?? new Uint8Array(),
    nameOf: (hash: Uint8Array) => names.get(hex(hash)) ?? 'not a node of the example',
  };
}

/** Equations `NAME = HOW = HEX`, aligned as the document shows them. */
function equations(rows: readonly (readonly [name: string, how: string, hash: Uint8Array])[]) {
  const width = Math.max(...rows.map(([, how]) => how.length));
  return rows.map(([name, how, hash]) => `${name} = ${how.padEnd(width)} = ${hex(hash)}`);
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
  const proof = proofHashes(served.inclusionText);
  const steps = inclusionSteps(PROVEN_SEQ, firstSize, leafHashes[PROVEN_SEQ]!, proof);

  const { node, nameOf } = exampleNodes(leafHashes);
  // Each interior node from its two children, so that the equation shown is the one computed.
  const joined = (name: string, left: string, right: string) =>
    [name, `SHA-256(0x01 ‖ ${left} ‖ ${right})`, sha256(byte(1), node(left), node(right))] as const;
  const grownRoot = joined('N(0,7)', 'N(0,4)', 'N(4,7)');
  const consistency = consistencySteps(
    firstSize,
    grownSize,
    proofHashes(served.consistencyText),
    root,
    nameOf,
  );
  const generalConsistency = consistencySteps(
    GENERAL_FROM,
    grownSize,
    proofHashes(served.generalConsistencyText),
    node(nodeName(0, GENERAL_FROM)),
    nameOf,
  );
  const rightEdge = inclusionSteps(
    rightEdgeSeq,
    grownSize,
    leafHashes[rightEdgeSeq]!,
    proofHashes(served.rightEdgeInclusionText),
  );
  const included = (seq: number, size: number) =>
    `end     sn = 0 and r equals the checkpoint's root: seq ${seq} is in the tree of size ${size}`;

  return new Map([
    [
      'setup',
      [
        `origin       ${ORIGIN}`,
        `key seed     ${hex(SEED)}`,
        `recorded_at  ${RECORDED_AT}`,
        `events       docs/examples/events.ndjson, posted in one batch (seq 0 to ${firstSize - 1})`,
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
    [
      'leaf-hashes',
      leafHashes
        .slice(0, firstSize)
        .map((h, seq) => `L${seq} = ${hex(h)}`)
        .join('\n'),
    ],
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
    ['inclusion-steps', [...steps.text, included(PROVEN_SEQ, firstSize)].join('\n')],
    [
      'second-batch',
      [
        `recorded_at  ${SECOND_RECORDED_AT}`,
        `events       docs/examples/events-second-batch.ndjson, posted in one batch (seq ${firstSize} to ${grownSize - 1})`,
      ].join('\n'),
    ],
    [
      'second-batch-leaf-hashes',
      leafHashes
        .slice(firstSize)
        .map((h, i) => `L${firstSize + i} = ${hex(h)}`)
        .join('\n'),
    ],
    [
      'root-7',
      [
        ...equations([
          ['N(0,4)', 'the root of size 4 above', root],
          joined('N(4,6)', 'L4', 'L5'),
          joined('N(4,7)', 'N(4,6)', 'L6'),
          grownRoot,
        ]),
        `root in base64: ${b64(grownRoot[2])}`,
      ].join('\n'),
    ],
    ['checkpoint-7', served.grownCheckpoint.slice(0, -1)],
    ['consistency-proof-4-7', served.consistencyText],
    ['consistency-steps-4-7', consistency.text.join('\n')],
    ['root-3', equations([joined('N(0,3)', 'N(0,2)', 'L2')]).join('\n')],
    ['consistency-proof-3-7', served.generalConsistencyText],
    ['consistency-steps-3-7', generalConsistency.text.join('\n')],
    ['inclusion-proof-6-in-7', served.rightEdgeInclusionText],
    ['inclusion-steps-6-in-7', [...rightEdge.text, included(rightEdgeSeq, grownSize)].join('\n')],
  ]);
}

/**
 * Checks a checkpoint note the way the document describes it, with node:crypto alone: its body,
 * its key id and its Ed25519 signature; then with the core's verifier.
 */
function expectSignedCheckpoint(note: string, size: number, root: Uint8Array) {
  const [body = '', signatureBlock = ''] = note.split('\n\n');
  expect(`${body}\n`, `checkpoint ${size}`).toBe(`${ORIGIN}\n${size}\n${b64(root)}\n`);
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
  expect(
    verify(null, utf8(`${body}\n`), key, payload.subarray(4)),
    `Ed25519 signature of checkpoint ${size}`,
  ).toBe(true);
  expect(verifyCheckpoint(note, { origin: ORIGIN, verifierKey }).ok).toBe(true);
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
    [...lines, ...secondLines].forEach((line, seq) => {
      const recordedAt = seq < firstSize ? RECORDED_AT : SECOND_RECORDED_AT;
      const event = JSON.parse(line) as { type: string };
      // The server records who posted an annotation: here the bootstrap admin key, id `admin`.
      const postedBy = event.type === 'annotation' ? { posted_by: { key_id: 'admin' } } : {};
      const stored = { ...event, ...postedBy, seq, recorded_at: recordedAt };
      expect(Buffer.from(leaves[seq]!).toString('utf8'), `leaf ${seq}`).toBe(canonicalJson(stored));
      expect(hex(leafHashes[seq]!), `leaf hash ${seq}`).toBe(hex(sha256(byte(0), leaves[seq]!)));
    });
    const firstLeafHashes = leafHashes.slice(0, firstSize);
    const root = sha256(
      byte(1),
      sha256(byte(1), leafHashes[0]!, leafHashes[1]!),
      sha256(byte(1), leafHashes[2]!, leafHashes[3]!),
    );
    expect(hex(root)).toBe(hex(merkleRoot(firstLeafHashes)));
    expectSignedCheckpoint(checkpoint, firstSize, root);

    const proof = JSON.parse(served.inclusionText) as {
      seq: number;
      tree_size: number;
      hashes: string[];
    };
    expect({ seq: proof.seq, size: proof.tree_size }).toEqual({
      seq: PROVEN_SEQ,
      size: firstSize,
    });
    const hashes = proofHashes(served.inclusionText);
    const steps = inclusionSteps(PROVEN_SEQ, firstSize, leafHashes[PROVEN_SEQ]!, hashes);
    expect({ done: steps.done, root: hex(steps.root) }).toEqual({ done: true, root: hex(root) });
    expect(verifyInclusion(leafHashes[PROVEN_SEQ]!, PROVEN_SEQ, firstSize, hashes, root).ok).toBe(
      true,
    );
  });

  it('agrees with an independent reading of the grown log: root of 7, its checkpoint, both proofs', () => {
    const { leafHashes } = served;
    const { node } = exampleNodes(leafHashes);
    const grownRoot = node(nodeName(0, grownSize));
    const firstRoot = node(nodeName(0, firstSize));
    const generalRoot = node(nodeName(0, GENERAL_FROM));
    expect(hex(grownRoot), 'root of size 7').toBe(hex(merkleRoot(leafHashes)));
    expect(hex(firstRoot), 'N(0,4) is the root of size 4').toBe(
      hex(merkleRoot(leafHashes.slice(0, firstSize))),
    );
    expect(hex(generalRoot), 'root of size 3').toBe(
      hex(merkleRoot(leafHashes.slice(0, GENERAL_FROM))),
    );
    expectSignedCheckpoint(served.grownCheckpoint, grownSize, grownRoot);

    // Each proof is read as the document reads it: the server's hashes are the core's ranges
    // of the tree, hashed independently, and the steps end in both roots.
    for (const [answer, from, oldRoot] of [
      [served.consistencyText, firstSize, firstRoot],
      [served.generalConsistencyText, GENERAL_FROM, generalRoot],
    ] as const) {
      const parsed = JSON.parse(answer) as { from: number; to: number };
      expect({ from: parsed.from, to: parsed.to }).toEqual({ from, to: grownSize });
      const hashes = proofHashes(answer);
      expect(hashes.map(hex), `proof from ${from}`).toEqual(
        consistencyRanges(from, grownSize).map((r) => hex(node(nodeName(r.start, r.end)))),
      );
      const steps = consistencySteps(from, grownSize, hashes, oldRoot, hex);
      expect({ done: steps.done, old: hex(steps.oldRoot), new: hex(steps.newRoot) }).toEqual({
        done: true,
        old: hex(oldRoot),
        new: hex(grownRoot),
      });
      expect(verifyConsistency(from, grownSize, hashes, oldRoot, grownRoot).ok).toBe(true);
    }

    const proof = JSON.parse(served.rightEdgeInclusionText) as { seq: number; tree_size: number };
    expect({ seq: proof.seq, size: proof.tree_size }).toEqual({
      seq: rightEdgeSeq,
      size: grownSize,
    });
    const hashes = proofHashes(served.rightEdgeInclusionText);
    expect(hashes.map(hex)).toEqual(
      inclusionRanges(rightEdgeSeq, grownSize).map((r) => hex(node(nodeName(r.start, r.end)))),
    );
    const leaf = leafHashes[rightEdgeSeq]!;
    const steps = inclusionSteps(rightEdgeSeq, grownSize, leaf, hashes);
    expect({ done: steps.done, root: hex(steps.root) }).toEqual({
      done: true,
      root: hex(grownRoot),
    });
    expect(verifyInclusion(leaf, rightEdgeSeq, grownSize, hashes, grownRoot).ok).toBe(true);
  });
});
