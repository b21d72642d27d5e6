import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { masterKeyId, parseMasterKey } from './master-key.js';

const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
const hex = Buffer.from(bytes).toString('hex');
const base64 = Buffer.from(bytes).toString('base64');
const id = createHash('sha256').update(bytes).digest('hex').slice(0, 16);

describe('parseMasterKey', () => {
  it('reads 64 hex characters or base64 of 32 bytes, ignoring surrounding whitespace', () => {
    for (const text of [hex, hex.toUpperCase(), `${hex}\n`, base64, `  ${base64}\r\n`]) {
      expect(parseMasterKey(text)).toEqual({ ok: true, key: { id, bytes } });
    }
  });

  it('names a key by the first 8 bytes of its SHA-256, in hex', () => {
    expect(masterKeyId(bytes)).toBe(id);
  });

  it('refuses anything else with a reason that does not quote the text', () => {
    const refused = [
      '',
      hex.slice(2),
      `${hex}00`,
      Buffer.alloc(16, 9).toString('base64'),
      base64.replace('=', ''),
      `${hex.slice(0, 63)}g`,
      '0'.repeat(64),
      Buffer.alloc(32, 0x5a).toString('base64'),
    ];
    for (const text of refused) {
      const result = parseMasterKey(text);
      expect(result).toMatchObject({ ok: false, code: 'malformed-master-key' });
      if (!result.ok && text.length > 8) expect(result.reason).not.toContain(text.slice(0, 8));
    }
  });
});
