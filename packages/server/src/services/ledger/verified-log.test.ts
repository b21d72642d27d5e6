import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_FRONTIER, appendLeaf, frontierRoot, leafHash, type Frontier } from '@declog/core';
import { parseVerifiedLog, verifiedLogJson, type VerifiedLog } from './verified-log.js';

function logOf(size: number): VerifiedLog {
  let frontier: Frontier = EMPTY_FRONTIER;
  for (let i = 0; i < size; i++)
    frontier = appendLeaf(frontier, leafHash(Buffer.from(`${i}`))).frontier;
  return {
    origin: 'o.example/log',
    verifierKey: 'k',
    size,
    rootHash: frontierRoot(frontier),
    frontier,
  };
}

describe('verified log state', () => {
  it('round-trips through its JSON form for any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), (size) => {
        const log = logOf(size);
        const json = JSON.parse(JSON.stringify(verifiedLogJson(log))) as unknown;
        expect(parseVerifiedLog(json)).toEqual({ ok: true, log });
      }),
      { numRuns: 30 },
    );
  });

  it.each([
    [
      'a frontier that does not fold to the root',
      (j: Record<string, unknown>) => ({ ...j, root: Buffer.alloc(32).toString('base64') }),
    ],
    ['a size the frontier does not fit', (j: Record<string, unknown>) => ({ ...j, size: 12 })],
    [
      'a frontier hash that is not base64',
      (j: Record<string, unknown>) => ({ ...j, frontier: ['%%%%'] }),
    ],
    ['a missing key', (j: Record<string, unknown>) => ({ ...j, key: undefined })],
    ['a negative size', (j: Record<string, unknown>) => ({ ...j, size: -1 })],
  ])('refuses %s', (_name, damage) => {
    const json = damage(verifiedLogJson(logOf(11)));
    expect(parseVerifiedLog(json)).toMatchObject({ ok: false });
  });
});
