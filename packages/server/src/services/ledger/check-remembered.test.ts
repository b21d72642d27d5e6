import { describe, expect, it } from 'vitest';
import { appendLeaves, frontierRoot, leafHash, type Frontier } from '@declog/core';
import { checkRemembered } from './check-remembered.js';
import type { VerifiedLog } from './verified-log.js';

const leaves = (count: number, changed?: number) =>
  Array.from({ length: count }, (_, i) => leafHash(Buffer.from(i === changed ? 'x' : `${i}`)));
const treeOf = (count: number, changed?: number): Frontier =>
  appendLeaves({ size: 0, hashes: [] }, leaves(count, changed));

function remembered(frontier: Frontier): VerifiedLog {
  return {
    origin: 'example.com/log',
    verifierKey: 'unused',
    size: frontier.size,
    rootHash: frontierRoot(frontier),
    frontier,
  };
}

const checkpointAt = (frontier: Frontier) => ({
  size: frontier.size,
  rootHash: frontierRoot(frontier),
  note: '',
  issuedAt: '2026-01-01T00:00:00Z',
});

describe('checkRemembered', () => {
  const before = treeOf(300);

  it('accepts the same tree while its checkpoint is still stored', () => {
    expect(checkRemembered(remembered(before), treeOf(300), [checkpointAt(before)])).toBeNull();
  });

  it.each([
    [0, [0, 255]],
    [255, [0, 255]],
    [256, [256, 287]],
    [290, [288, 295]],
    [299, [296, 299]],
  ])('names the subtree holding a rewritten entry %i', (seq, range) => {
    const rebuilt = treeOf(300, seq);
    expect(checkRemembered(remembered(before), rebuilt, [checkpointAt(rebuilt)])).toMatchObject({
      code: 'history-rewritten',
      seq: range[0],
      seqRange: range,
      checkpointSize: 300,
    });
  });

  it('refuses the same tree when its checkpoint is gone', () => {
    const smaller = treeOf(220);
    expect(checkRemembered(remembered(before), treeOf(300), [checkpointAt(smaller)])).toMatchObject(
      { code: 'checkpoint-removed', checkpointSize: 300 },
    );
  });
});
