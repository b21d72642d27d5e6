import { describe, expect, it } from 'vitest';
import { uuidV7Generator } from './uuid-v7.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV7Generator', () => {
  it('makes RFC 9562 version 7 ids carrying the time in milliseconds', () => {
    const id = uuidV7Generator(() => 0x0193a1f27c4d)();
    expect(id).toMatch(UUID_V7);
    expect(id.startsWith('0193a1f2-7c4d-7')).toBe(true);
  });

  it('keeps ids of one millisecond, and of a clock that steps back, in order', () => {
    let now = 1_700_000_000_000;
    const newId = uuidV7Generator(() => now);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      if (i === 5000) now -= 1000; // the clock steps back
      if (i % 3000 === 0) now += 1;
      ids.push(newId());
    }
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
