/**
 * A mutation corpus of an evidence bundle: every way one field of it can be changed by
 * someone who does not hold the log's key. A verifier must reject each of them. Written
 * from the bundle format as documented (docs/cli.md), not from the implementation.
 */

export interface Mutation {
  readonly name: string;
  readonly bundle: unknown;
}

interface BundleEntry {
  seq: number;
  leaf: string;
  leaf_hash: string;
  event: Record<string, unknown>;
  inclusion_proof: string[];
  tlog_proof: string;
}

interface Bundle {
  format: string;
  origin: string;
  verifier_key: string | null;
  checkpoint: string;
  tree_size: number;
  decision_id: string;
  entries: BundleEntry[];
}

/** Base64 of the bytes with bit 0 of byte `at` flipped (from the end when `at` is negative). */
export function flipBase64(text: string, at: number): string {
  const bytes = Buffer.from(text, 'base64');
  const i = at < 0 ? bytes.length + at : at;
  bytes[i] = (bytes[i] ?? 0) ^ 1;
  return bytes.toString('base64');
}

/** Every mutation of a signed note: its size line, root line, origin and each signature byte. */
export function noteMutations(note: string): { name: string; note: string }[] {
  const [origin = '', size = '', root = '', ...rest] = note.split('\n');
  const tail = rest.join('\n');
  const out = [
    { name: 'size + 1', note: [origin, String(Number(size) + 1), root, tail].join('\n') },
    {
      name: 'size - 1',
      note: [origin, String(Math.max(0, Number(size) - 1)), root, tail].join('\n'),
    },
    { name: 'root bit', note: [origin, size, flipBase64(root, 0), tail].join('\n') },
    { name: 'origin', note: [`${origin}x`, size, root, tail].join('\n') },
  ];
  const lines = note.split('\n');
  const at = lines.findIndex((line) => line.startsWith('\u2014 '));
  const [dash = '', name = '', signature = ''] = (lines[at] ?? '').split(' ');
  const bytes = Buffer.from(signature, 'base64').length;
  for (let byte = 0; byte < bytes; byte++) {
    const changed = [...lines];
    changed[at] = `${dash} ${name} ${flipBase64(signature, byte)}`;
    out.push({ name: `signature byte ${byte}`, note: changed.join('\n') });
  }
  return out;
}

/**
 * The corpus: for the bundle, its checkpoint, tree size, origin, decision id and format; for
 * every entry, its seq, leaf, leaf hash, event, every inclusion hash and every part of its
 * tlog-proof (index, hashes, embedded checkpoint). `foreign` is an entry of another decision
 * proven against the same checkpoint, to smuggle in.
 */
export function bundleMutations(original: unknown, foreign?: unknown): Mutation[] {
  const base = original as Bundle;
  const out: Mutation[] = [];
  const mutate = (name: string, change: (b: Bundle) => void) => {
    const copy = structuredClone(base);
    change(copy);
    out.push({ name, bundle: copy });
  };
  for (const { name, note } of noteMutations(base.checkpoint)) {
    mutate(`checkpoint ${name}`, (b) => (b.checkpoint = note));
  }
  mutate('tree_size + 1', (b) => (b.tree_size += 1));
  mutate('origin', (b) => (b.origin = `${b.origin}x`));
  mutate('decision_id', (b) => (b.decision_id = `${b.decision_id}x`));
  mutate('format', (b) => (b.format = 'declog-evidence-bundle/v2'));
  mutate('no entries', (b) => (b.entries = []));
  mutate(
    'decision entry removed',
    (b) => (b.entries = b.entries.filter((e) => e.event['type'] !== 'decision')),
  );
  mutate('entry twice', (b) => b.entries.push(structuredClone(b.entries[0]!)));
  if (foreign)
    mutate('entry of another decision', (b) =>
      b.entries.push(structuredClone(foreign as BundleEntry)),
    );

  base.entries.forEach((entry, i) => {
    const at = (name: string, change: (e: BundleEntry) => void) =>
      mutate(`entry ${i} (seq ${entry.seq}) ${name}`, (b) => change(b.entries[i]!));
    at('seq + 1', (e) => (e.seq += 1));
    if (entry.seq > 0) at('seq - 1', (e) => (e.seq -= 1));
    at('seq and event seq + 1', (e) => {
      e.seq += 1;
      e.event['seq'] = e.seq;
    });
    at('leaf first byte', (e) => (e.leaf = flipBase64(e.leaf, 0)));
    at(
      'leaf middle byte',
      (e) => (e.leaf = flipBase64(e.leaf, Buffer.from(e.leaf, 'base64').length >> 1)),
    );
    at('leaf last byte', (e) => (e.leaf = flipBase64(e.leaf, -1)));
    at('leaf_hash', (e) => (e.leaf_hash = flipBase64(e.leaf_hash, 0)));
    at('event id', (e) => (e.event['id'] = `${String(e.event['id'])}x`));
    at('event occurred_at', (e) => (e.event['occurred_at'] = '2020-01-01T00:00:00Z'));
    at('event extra field', (e) => (e.event['extra'] = true));
    at('event recorded_at removed', (e) => delete e.event['recorded_at']);
    at('leaf and event together', (e) => {
      e.event['occurred_at'] = '2020-01-01T00:00:00Z';
      e.leaf = Buffer.from(canonical(e.event)).toString('base64');
    });
    entry.inclusion_proof.forEach((_, h) => {
      at(
        `inclusion hash ${h}`,
        (e) => (e.inclusion_proof[h] = flipBase64(e.inclusion_proof[h]!, 0)),
      );
    });
    at('inclusion hash added', (e) => e.inclusion_proof.push(e.leaf_hash));
    if (entry.inclusion_proof.length > 0)
      at('inclusion hash dropped', (e) => e.inclusion_proof.pop());
    const [head, note] = splitTlogProof(entry.tlog_proof);
    head.forEach((line, l) => {
      if (line.startsWith('index ')) {
        const index = Number(line.slice('index '.length));
        at(
          'tlog-proof index + 1',
          (e) => (e.tlog_proof = joinTlogProof(replace(head, l, `index ${index + 1}`), note)),
        );
      } else if (l > 0) {
        at(
          `tlog-proof hash ${l}`,
          (e) => (e.tlog_proof = joinTlogProof(replace(head, l, flipBase64(line, -1)), note)),
        );
      }
    });
    for (const { name, note: changed } of noteMutations(note)) {
      at(`tlog-proof checkpoint ${name}`, (e) => (e.tlog_proof = joinTlogProof(head, changed)));
    }
  });
  return out;
}

function splitTlogProof(text: string): [string[], string] {
  const blank = text.indexOf('\n\n');
  return [text.slice(0, blank).split('\n'), text.slice(blank + 2)];
}

function joinTlogProof(head: readonly string[], note: string): string {
  return `${head.join('\n')}\n\n${note}`;
}

function replace(lines: readonly string[], at: number, line: string): string[] {
  return lines.map((l, i) => (i === at ? line : l));
}

/** RFC 8785 for the plain JSON of events: sorted keys, no whitespace. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
