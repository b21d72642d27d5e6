import { describe, expect, it } from 'vitest';
import { tilePath } from './tile-path.js';

describe('tilePath', () => {
  it('encodes the index in groups of three digits, as c2sp.org/tlog-tiles does', () => {
    // The specification's example: index 1234067 is x001/x234/067.
    expect(tilePath({ level: 0, index: 1_234_067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 0, index: 0, width: 256 })).toBe('tile/0/000');
    expect(tilePath({ level: 2, index: 999, width: 256 })).toBe('tile/2/999');
    expect(tilePath({ level: 1, index: 1000, width: 256 })).toBe('tile/1/x001/000');
    expect(tilePath({ level: 3, index: 2 ** 53 - 1, width: 256 })).toBe(
      'tile/3/x009/x007/x199/x254/x740/991',
    );
  });

  it('adds the width of a partial tile only', () => {
    expect(tilePath({ level: 0, index: 273, width: 112 })).toBe('tile/0/273.p/112');
    expect(tilePath({ level: 1, index: 1, width: 17 })).toBe('tile/1/001.p/17');
    expect(tilePath({ level: 2, index: 0, width: 1 })).toBe('tile/2/000.p/1');
  });

  it('refuses a level, index or width the specification does not allow', () => {
    for (const tile of [
      { level: 64, index: 0, width: 1 },
      { level: -1, index: 0, width: 1 },
      { level: 0, index: -1, width: 1 },
      { level: 0, index: 0.5, width: 1 },
      { level: 0, index: 0, width: 0 },
      { level: 0, index: 0, width: 257 },
    ]) {
      expect(() => tilePath(tile), JSON.stringify(tile)).toThrow(RangeError);
    }
  });
});
