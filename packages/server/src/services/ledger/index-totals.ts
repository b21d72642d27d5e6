import {
  INDEX_SET_KINDS,
  addFingerprints,
  fingerprintOfWeights,
  positionsFingerprint,
  indexPageProblem,
  valueHasher,
  type EventStore,
  type FingerprintKey,
  type IndexReader,
  type IndexSetKind,
} from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { expectedPositions, keptTerms } from './check-index.js';

/** The stored side of what an index audit compares log-wide. */
export interface IndexTotals {
  /** By INDEX_SET_KINDS: the fingerprint of each set kind the reader does not list (else 0). */
  readonly fingerprints: readonly number[];
  /** How many sealed records the log keeps. */
  readonly sealed: number;
}

/** Reads the log-wide fingerprints of the sets the reader cannot list by range (seqs below `size`). */
export async function storedIndexTotals(
  reader: IndexReader,
  key: FingerprintKey,
  size: number,
): Promise<IndexTotals> {
  const hash = valueHasher(key.secret);
  const fingerprints: number[] = [];
  for (const kind of INDEX_SET_KINDS) {
    if (reader.listed.includes(kind)) {
      fingerprints.push(0);
      continue;
    }
    const weights = await reader.valueWeights(kind, size, key.multiplier);
    fingerprints.push(fingerprintOfWeights(weights, hash).get(0) ?? 0);
  }
  return { fingerprints, sealed: await reader.sealedCount() };
}

/** Seqs per block when a log-wide mismatch is narrowed down. */
const BLOCK_BITS = 12;
const PAGE = 5000;

/**
 * The first entry below `size` whose stored elements of `kind` differ from what its leaf calls
 * for, found after the log-wide fingerprints disagreed: the fingerprints of each block of
 * seqs are compared, then the first block that differs is read element by element. Null when
 * none differs now (the log changed while it was audited, such as a retention run).
 */
export async function narrowSetMismatch(
  store: EventStore,
  reader: IndexReader,
  key: FingerprintKey,
  kind: IndexSetKind,
  size: number,
): Promise<AuditProblem<'edited-entry'> | null> {
  const hash = valueHasher(key.secret);
  const positioned = reader.positionedTerms;
  const terms = keptTerms(reader);
  const stored = fingerprintOfWeights(
    await reader.valueWeights(kind, size, key.multiplier, BLOCK_BITS),
    hash,
  );
  const expected = new Map<number, number>();
  for (let from = 0; from < size; from += PAGE) {
    const rows = await store.scan(from, Math.min(PAGE, size - from));
    for (const position of expectedPositions(rows, terms).positions) {
      if (!position.facts?.decision) continue;
      const block = position.seq >> BLOCK_BITS;
      const sum = positionsFingerprint([position], kind, positioned, key.multiplier, hash);
      expected.set(block, addFingerprints(expected.get(block) ?? 0, sum));
    }
  }
  const blocks = [...new Set([...stored.keys(), ...expected.keys()])].sort((a, b) => a - b);
  for (const block of blocks) {
    if ((stored.get(block) ?? 0) === (expected.get(block) ?? 0)) continue;
    const from = block << BLOCK_BITS;
    const to = Math.min(from + (1 << BLOCK_BITS), size);
    const rows = await store.scan(from, to - from);
    const { positions } = expectedPositions(rows, terms);
    const elements = await reader.elementsIn(kind, from, to);
    const found = indexPageProblem(
      positions,
      { entries: [], decisions: [], elements: { [kind]: elements }, textRows: [], sealed: [] },
      [kind],
      { setsOnly: true, positioned },
    );
    if (found) return auditProblem('edited-entry', found.reason, { seq: found.seq });
  }
  return null;
}

/**
 * A sealed record kept for an event id that is no live event of the log, found after the log
 * keeps more records than its events have. Null when there is none (records of events
 * appended while the log was audited).
 */
export async function strayRecordProblem(
  store: EventStore,
  reader: IndexReader,
): Promise<AuditProblem<'edited-entry'> | null> {
  const [stray] = await reader.strayRecords(1);
  if (!stray) return null;
  const pruned = await store.prunedById(stray.eventId);
  if (pruned) {
    return auditProblem(
      'edited-entry',
      `seq ${pruned.seq}: a sealed record is kept for ${stray.eventId}, though the entry was ` +
        'pruned (personal_data)',
      { seq: pruned.seq },
    );
  }
  return auditProblem(
    'edited-entry',
    `a sealed record is kept for ${JSON.stringify(stray.eventId)}, which is no event of the log ` +
      '(personal_data)',
  );
}
