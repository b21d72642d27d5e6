import type { PrunedMark } from '@declog/core';

/** What an `events` row keeps of an entry retention pruned (its `pruned` column). */
export interface StoredPrunedMark {
  readonly contentDigest: Buffer;
  readonly recordedAt: string;
  readonly prunedAt: string;
  readonly prunedBy: string;
}

/** The `pruned` column's text for a mark; the leaf hash stays in the tree, not here. */
export function prunedMarkText(mark: Omit<PrunedMark, 'id' | 'decisionId' | 'leafHash'>): string {
  return JSON.stringify({
    content_digest: Buffer.from(mark.contentDigest).toString('hex'),
    recorded_at: mark.recordedAt,
    pruned_at: mark.prunedAt,
    pruned_by: mark.prunedBy,
  });
}

export function readPrunedMark(text: string): StoredPrunedMark {
  const mark = JSON.parse(text) as Record<string, string>;
  return {
    contentDigest: Buffer.from(mark['content_digest'] ?? '', 'hex'),
    recordedAt: mark['recorded_at'] ?? '',
    prunedAt: mark['pruned_at'] ?? '',
    prunedBy: mark['pruned_by'] ?? '',
  };
}
