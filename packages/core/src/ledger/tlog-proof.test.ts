import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64 } from './fixtures/test-tree.js';
import { formatTlogProof, parseTlogProof } from './tlog-proof.js';

const sha = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());
const h1 = sha('hash1');
const h2 = sha('hash2');

// The example from c2sp.org/tlog-proof; its signatures are elided there, so only the
// proof structure is parsed here.
const SPEC_EXAMPLE = `c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

example.com/fancylog
109482
sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=

— example.com/fancylog hI2DJw[...]1roloI=
— witness1.example mJirIklj[...]qY9v2B/5bg==
`;

describe('tlog-proof text', () => {
  it('formats like transparency-dev/formats (the Go reference marshaller)', () => {
    expect(formatTlogProof({ index: 5, proof: [h1, h2], checkpoint: 'test checkpoint\n' })).toBe(
      `c2sp.org/tlog-proof@v1\nindex 5\n${toBase64(h1)}\n${toBase64(h2)}\n\ntest checkpoint\n`,
    );
    const extra = new TextEncoder().encode('extra information');
    expect(
      formatTlogProof({ extra, index: 10, proof: [h1], checkpoint: 'checkpoint data\n' }),
    ).toBe(
      `c2sp.org/tlog-proof@v1\nextra ${toBase64(extra)}\nindex 10\n${toBase64(h1)}\n\ncheckpoint data\n`,
    );
    expect(formatTlogProof({ index: 0, proof: [], checkpoint: 'checkpoint\n' })).toBe(
      'c2sp.org/tlog-proof@v1\nindex 0\n\ncheckpoint\n',
    );
  });

  it('parses the specification example', () => {
    const parsed = parseTlogProof(SPEC_EXAMPLE);
    if (!parsed.ok) return expect.fail(parsed.reason);
    const { tlogProof } = parsed;
    expect(new TextDecoder().decode(tlogProof.extra).startsWith('age-v1.2.1-darwin-arm64')).toBe(
      true,
    );
    expect(tlogProof.index).toBe(73894);
    expect(tlogProof.proof.map(toBase64)[4]).toBe('AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=');
    expect(tlogProof.checkpoint.startsWith('example.com/fancylog\n109482\n')).toBe(true);
    expect(formatTlogProof(tlogProof)).toBe(SPEC_EXAMPLE);
  });

  it('round-trips with and without extra data', () => {
    for (const p of [
      { index: 123, proof: [h1, h2], checkpoint: 'some checkpoint\n' },
      { extra: new Uint8Array([1, 2, 3]), index: 456, proof: [h1], checkpoint: 'a\n\n— b c\n' },
      { extra: new Uint8Array(0), index: 789, proof: [], checkpoint: 'checkpoint\n' },
    ]) {
      const parsed = parseTlogProof(formatTlogProof(p));
      expect(parsed).toEqual({ ok: true, tlogProof: p });
    }
  });

  it('rejects malformed proofs', () => {
    const b64 = toBase64(h1);
    const bad = {
      'wrong header': 'wrong-header\nindex 0\n\ncheckpoint\n',
      'v2 header': 'c2sp.org/tlog-proof@v2\nindex 0\n\ncheckpoint\n',
      'bad extra': 'c2sp.org/tlog-proof@v1\nextra !!notbase64!!\nindex 0\n\ncheckpoint\n',
      'extra after index': `c2sp.org/tlog-proof@v1\nindex 0\nextra AAAA\n\ncheckpoint\n`,
      'missing index': 'c2sp.org/tlog-proof@v1\n\n\ncheckpoint\n',
      'index not a number': 'c2sp.org/tlog-proof@v1\nindex notanumber\n\ncheckpoint\n',
      'negative index': 'c2sp.org/tlog-proof@v1\nindex -5\n\ncheckpoint\n',
      'leading zero': 'c2sp.org/tlog-proof@v1\nindex 05\n\ncheckpoint\n',
      'index beyond 2^53 - 1': 'c2sp.org/tlog-proof@v1\nindex 9007199254740992\n\ncheckpoint\n',
      'bad hash': 'c2sp.org/tlog-proof@v1\nindex 0\n!!notbase64!!\n\ncheckpoint\n',
      'long hash': `c2sp.org/tlog-proof@v1\nindex 0\n${toBase64(new Uint8Array(64))}\n\ncheckpoint\n`,
      'unpadded hash': `c2sp.org/tlog-proof@v1\nindex 0\n${b64.slice(0, -1)}\n\ncheckpoint\n`,
      'no blank line': `c2sp.org/tlog-proof@v1\nindex 0\n${b64}\n`,
      'no checkpoint': `c2sp.org/tlog-proof@v1\nindex 0\n${b64}\n\n`,
      'checkpoint without final newline': `c2sp.org/tlog-proof@v1\nindex 0\n\ncheckpoint`,
    };
    for (const [what, text] of Object.entries(bad)) {
      expect(parseTlogProof(text), what).toMatchObject({ ok: false, code: 'malformed-tlog-proof' });
    }
  });

  it('refuses to format what it would not parse', () => {
    expect(() => formatTlogProof({ index: -1, proof: [], checkpoint: 'c\n' })).toThrow(RangeError);
    expect(() => formatTlogProof({ index: 0, proof: [h1.subarray(1)], checkpoint: 'c\n' })).toThrow(
      RangeError,
    );
    expect(() => formatTlogProof({ index: 0, proof: [], checkpoint: 'c' })).toThrow(RangeError);
  });
});
