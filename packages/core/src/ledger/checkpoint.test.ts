import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { fromBase64, fromHex, hex, vectors } from './fixtures/test-tree.js';

// The body of the example in c2sp.org/tlog-checkpoint.
const SPEC_BODY =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const root8 = fromHex(vectors.tree8.roots_by_size['8'] ?? '');

describe('checkpoint bodies', () => {
  it('parses the specification example', () => {
    expect(parseCheckpoint(SPEC_BODY)).toEqual({
      ok: true,
      checkpoint: {
        origin: 'example.com/behind-the-sofa',
        size: 20852163,
        rootHash: fromBase64('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='),
        extensions: [],
      },
    });
  });

  it('formats origin, decimal size and base64 root on their own lines', () => {
    expect(formatCheckpoint({ origin: 'log.example/declog', size: 8, rootHash: root8 })).toBe(
      'log.example/declog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n',
    );
    expect(
      formatCheckpoint({ origin: 'o', size: 0, rootHash: root8, extensions: ['ext one', 'two'] }),
    ).toBe('o\n0\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\next one\ntwo\n');
  });

  it('round-trips, keeping extension lines', () => {
    for (const cp of [
      { origin: 'log.example/declog', size: 0, rootHash: root8, extensions: [] },
      { origin: 'ünïcode origin', size: 2 ** 53 - 1, rootHash: root8, extensions: ['a', 'b c'] },
    ]) {
      const parsed = parseCheckpoint(formatCheckpoint(cp));
      expect(
        parsed.ok && { ...parsed.checkpoint, rootHash: hex(parsed.checkpoint.rootHash) },
      ).toEqual({
        ...cp,
        rootHash: hex(root8),
      });
    }
  });

  it('rejects anything but the strict form', () => {
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
    const bad = {
      'no final newline': SPEC_BODY.slice(0, -1),
      'empty origin': `\n1\n${root}\n`,
      'leading zero': `o\n01\n${root}\n`,
      'negative size': `o\n-1\n${root}\n`,
      'plus sign': `o\n+1\n${root}\n`,
      'space in size': `o\n 1\n${root}\n`,
      exponent: `o\n1e3\n${root}\n`,
      'hex size': `o\n0x10\n${root}\n`,
      'size beyond 2^53 - 1': `o\n9007199254740992\n${root}\n`,
      'no root': 'o\n1\n',
      'empty root line': 'o\n1\n\n',
      '31-byte root': `o\n1\n${Buffer.alloc(31).toString('base64')}\n`,
      '33-byte root': `o\n1\n${Buffer.alloc(33).toString('base64')}\n`,
      'unpadded root': `o\n1\n${root.slice(0, -1)}\n`,
      'URL-safe base64': `o\n1\n${root.replace('/', '_')}\n`,
      'non-canonical trailing bits': `o\n1\n${root.slice(0, -2)}J=\n`,
      'empty extension line': `o\n1\n${root}\n\next\n`,
      'carriage returns': SPEC_BODY.replaceAll('\n', '\r\n'),
      'control character in origin': `o\u0000\n1\n${root}\n`,
      'just a newline': '\n',
      'empty text': '',
    };
    for (const [what, text] of Object.entries(bad)) {
      expect(parseCheckpoint(text), what).toMatchObject({
        ok: false,
        code: 'malformed-checkpoint',
      });
    }
    expect(parseCheckpoint(undefined as unknown as string).ok).toBe(false);
  });

  it('refuses to format what it would not parse', () => {
    expect(() => formatCheckpoint({ origin: '', size: 1, rootHash: root8 })).toThrow(RangeError);
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: root8 })).toThrow(
      RangeError,
    );
    expect(() => formatCheckpoint({ origin: 'o', size: -1, rootHash: root8 })).toThrow(RangeError);
    expect(() => formatCheckpoint({ origin: 'o', size: 1.5, rootHash: root8 })).toThrow(RangeError);
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: root8.subarray(1) })).toThrow(
      RangeError,
    );
    expect(() =>
      formatCheckpoint({ origin: 'o', size: 1, rootHash: root8, extensions: [''] }),
    ).toThrow(RangeError);
  });
});
