import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from './event-record.js';
import { decodeSpoolRecord, encodeSpoolRecord, scanSpoolRecord } from './spool-record.js';
import { utf8Length } from './utf8-length.js';

const record = (id: string, extra = ''): EventRecord => {
  const json = JSON.stringify({ id, type: 'decision', note: extra });
  return { id, json, bytes: utf8Length(json) };
};

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Every batch a scan from offset 0 would replay, by event id. */
function replay(bytes: Uint8Array): { ids: string[][]; skipped: string[] } {
  const ids: string[][] = [];
  const skipped: string[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const scan = scanSpoolRecord(bytes, offset);
    if (scan.kind === 'record') ids.push((decodeSpoolRecord(bytes, offset) ?? []).map((r) => r.id));
    else skipped.push(scan.kind);
    offset += scan.length;
  }
  return { ids, skipped };
}

describe('the spool record format', () => {
  it('round-trips batches of any text, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), { maxLength: 5 }),
        (batches) => {
          const encoded = batches.map((batch, b) =>
            encodeSpoolRecord(batch.map((text, i) => record(`b${b}e${i}`, text))),
          );
          const { ids, skipped } = replay(concat(encoded));
          expect(skipped).toEqual([]);
          expect(ids).toEqual(batches.map((batch, b) => batch.map((_, i) => `b${b}e${i}`)));
        },
      ),
    );
  });

  it('keeps the event texts byte for byte', () => {
    const original = [record('a', 'naïve 😀'), record('b', 'line\\nbreak')];
    const decoded = decodeSpoolRecord(encodeSpoolRecord(original), 0);
    expect(decoded).toEqual(original);
  });

  it('never replays a torn write: a file cut at any byte replays only the whole records before the cut', () => {
    const first = encodeSpoolRecord([record('a1'), record('a2')]);
    const second = encodeSpoolRecord([record('b1')]);
    const whole = concat([first, second]);
    for (let cut = 0; cut <= whole.length; cut += 1) {
      const { ids, skipped } = replay(whole.subarray(0, cut));
      const expected =
        cut >= whole.length ? [['a1', 'a2'], ['b1']] : cut >= first.length ? [['a1', 'a2']] : [];
      expect(ids, `cut at ${cut}`).toEqual(expected);
      const torn = cut !== 0 && cut !== first.length && cut !== whole.length;
      expect(skipped, `cut at ${cut}`).toEqual(torn ? ['torn'] : []);
    }
  });

  it('detects a flipped bit anywhere in a record and still replays the records after it', () => {
    const records = [
      encodeSpoolRecord([record('a')]),
      encodeSpoolRecord([record('b')]),
      encodeSpoolRecord([record('c')]),
    ];
    const whole = concat(records);
    const start = records[0]!.length;
    for (let at = start; at < start + records[1]!.length; at += 1) {
      const damaged = whole.slice();
      damaged[at] = damaged[at]! ^ 0x10;
      const { ids, skipped } = replay(damaged);
      expect(ids, `bit flipped at ${at}`).toEqual([['a'], ['c']]);
      expect(skipped, `bit flipped at ${at}`).toEqual(['corrupt']);
    }
  });

  it('treats a zero-filled tail (a file extended but never written) as not replayable', () => {
    const whole = concat([encodeSpoolRecord([record('a')]), new Uint8Array(100)]);
    const { ids, skipped } = replay(whole);
    expect(ids).toEqual([['a']]);
    expect(skipped).toHaveLength(1);
  });
});
