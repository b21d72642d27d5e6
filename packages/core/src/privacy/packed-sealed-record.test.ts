import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_DECISION_FIELDS, KEY_A, LOAN } from './fixtures/personal-events.js';
import { parseSealedRecord } from './_parse-sealed-record.js';
import { openPersonalData } from './open-personal-data.js';
import { packSealedRecord, packedRecordBytes, unpackSealedRecord } from './packed-sealed-record.js';
import { sealPersonalData } from './seal-personal-data.js';

const { event, sealed } = sealPersonalData(LOAN, {
  pointers: ALL_DECISION_FIELDS,
  subjectKey: KEY_A,
});
const TEXT = JSON.stringify(sealed);
const RECORD = JSON.parse(TEXT) as Record<string, string>;

/** The text of a well-formed record of any nonce, tag and ciphertext, as sealing writes it. */
const recordText = fc
  .tuple(
    fc.uint8Array({ minLength: 12, maxLength: 12 }),
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
  )
  .map(([nonce, ciphertext, tag]) =>
    JSON.stringify({
      alg: 'A256GCM',
      nonce: Buffer.from(nonce).toString('base64'),
      ciphertext: Buffer.from(ciphertext).toString('base64'),
      tag: Buffer.from(tag).toString('base64'),
    }),
  );

describe('packSealedRecord', () => {
  it('packs a sealed record into its raw bytes, and unpacks the same text', () => {
    const packed = packSealedRecord(TEXT);
    if (packed === null) return expect.fail('a sealed record must pack');
    const ciphertext = Buffer.from(RECORD['ciphertext'] ?? '', 'base64');
    expect(packed.length).toBe(1 + 12 + 16 + ciphertext.length);
    expect(packed.length).toBeLessThan(TEXT.length * 0.7);
    expect(Buffer.from(packed.subarray(29)).equals(ciphertext)).toBe(true);
    const unpacked = unpackSealedRecord(packed);
    expect(unpacked).toBe(TEXT);
    expect(openPersonalData(event, JSON.parse(unpacked), KEY_A).ok).toBe(true);
  });

  it('packs any well-formed record, whatever its ciphertext', () => {
    fc.assert(
      fc.property(recordText, (text) => {
        const packed = packSealedRecord(text);
        expect(packed).not.toBeNull();
        expect(unpackSealedRecord(packed as Uint8Array)).toBe(text);
      }),
    );
  });

  it('leaves as text what would not come back byte for byte', () => {
    const variants = [
      JSON.stringify({ ...RECORD, extra: 1 }),
      JSON.stringify({ tag: RECORD['tag'], ...RECORD }),
      JSON.stringify(RECORD, null, 1),
      JSON.stringify({ ...RECORD, alg: 'A128GCM' }),
      JSON.stringify({ ...RECORD, nonce: 'AAAA' }),
      JSON.stringify({ ...RECORD, tag: `${RECORD['tag']?.slice(0, -2)}` }),
      // Non-canonical base64: stray bits in the last character, a missing pad.
      JSON.stringify({ ...RECORD, ciphertext: 'AB==' }),
      JSON.stringify({ ...RECORD, ciphertext: 'AA' }),
      JSON.stringify({ ...RECORD, ciphertext: 'A A=' }),
      JSON.stringify({ ...RECORD, ciphertext: 5 }),
      'not json',
      'null',
    ];
    for (const text of variants) expect(packSealedRecord(text), text).toBeNull();
  });

  it('refuses to unpack bytes that are not a packed record', () => {
    const packed = packSealedRecord(TEXT) as Uint8Array;
    expect(() => unpackSealedRecord(packed.subarray(0, 20))).toThrow(/not a packed sealed record/);
    expect(() => unpackSealedRecord(Uint8Array.of(2, ...packed.subarray(1)))).toThrow(
      /not a packed sealed record/,
    );
  });
});

describe('packedRecordBytes', () => {
  it('reads the members in place, as the unpacked text holds them', () => {
    fc.assert(
      fc.property(recordText, (text) => {
        const packed = packSealedRecord(text) as Uint8Array;
        const inPlace = packedRecordBytes(packed);
        const fromText = parseSealedRecord(JSON.parse(text));
        if (inPlace === undefined || fromText === undefined) return expect.fail('must parse');
        for (const member of ['nonce', 'ciphertext', 'tag'] as const) {
          expect(Buffer.from(inPlace[member]).equals(Buffer.from(fromText[member]))).toBe(true);
          // Views on the stored bytes: nothing copied.
          expect(inPlace[member].buffer).toBe(packed.buffer);
        }
        expect(parseSealedRecord(packed)).toEqual(inPlace);
      }),
    );
  });

  it('refuses bytes that are not a packed record, and so does parseSealedRecord', () => {
    const packed = packSealedRecord(TEXT) as Uint8Array;
    for (const bytes of [
      packed.subarray(0, 28),
      Uint8Array.of(2, ...packed.subarray(1)),
      new Uint8Array(0),
    ]) {
      expect(packedRecordBytes(bytes)).toBeUndefined();
      expect(parseSealedRecord(bytes)).toBeUndefined();
    }
  });

  it('opens a packed record as its text opens, and refuses one altered', () => {
    const packed = packSealedRecord(TEXT) as Uint8Array;
    const opened = openPersonalData(event, packed, KEY_A);
    expect(opened).toEqual(openPersonalData(event, RECORD, KEY_A));
    expect(opened.ok).toBe(true);
    for (const at of [1, 13, 29, packed.length - 1]) {
      const altered = Uint8Array.from(packed);
      altered[at] = (altered[at] as number) ^ 1;
      const result = openPersonalData(event, altered, KEY_A);
      expect(result.ok ? 'opened' : result.code, `byte ${at}`).toBe('undecryptable');
    }
    const short = openPersonalData(event, packed.subarray(0, 20), KEY_A);
    expect(short.ok ? 'opened' : short.code).toBe('malformed-sealed-data');
  });
});
