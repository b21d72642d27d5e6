import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@declog/core';
import { decisionEvent, idOf } from './event-factory.js';
import type { LoadBatch } from './ingest-load.js';
import { loadOutcome } from './load-outcome.js';
import type { StoredEntry, StoredLog } from './stored-log.js';

/** A two-event batch sent at `sentAt`, acknowledged at `ackedAt` (null: no answer) from `seq`. */
function batch(sentAt: number, ackedAt: number | null, seq: number): LoadBatch {
  const events = [decisionEvent(), decisionEvent()];
  return {
    client: 0,
    target: 0,
    format: 'json',
    events,
    firstSentAt: sentAt,
    ackedAt,
    outcome: ackedAt === null ? 'unacknowledged' : 'acknowledged',
    results:
      ackedAt === null
        ? []
        : events.map((e, i) => ({ id: idOf(e), seq: seq + i, status: 'created' as const })),
    attempts: 1,
  };
}

/** The log holding `batches`' events in the order given, as the server would store them. */
function logOf(batches: readonly LoadBatch[]): StoredLog {
  const entries: StoredEntry[] = batches
    .flatMap((b) => b.events)
    .map((event, seq) => ({
      seq,
      id: idOf(event),
      body: canonicalJson({ ...event, seq, recorded_at: '2026-03-01T12:00:01.000Z' }),
    }));
  return { entries, size: entries.length, checkpointSizes: [] };
}

describe('loadOutcome', () => {
  const a = batch(0, 10, 0);
  const b = batch(20, 30, 2);
  const unanswered = batch(25, null, 4);
  const log = logOf([a, b, unanswered]);

  it('finds nothing wrong with a log that keeps every promise', () => {
    expect(loadOutcome([a, b, unanswered], log)).toEqual({
      problems: [],
      acknowledgedEvents: 4,
      unacknowledgedStored: 1,
      unacknowledgedAbsent: 0,
    });
    expect(loadOutcome([a, b, unanswered], logOf([a, b])).unacknowledgedAbsent).toBe(1);
  });

  it.each([
    ['a gap', { ...log, entries: log.entries.filter((e) => e.seq !== 1) }, /holds seq 2: a gap/],
    ['a batch stored in part', { ...log, entries: log.entries.slice(0, 5), size: 5 }, /in part/],
    [
      'an edited event',
      { ...log, entries: log.entries.map((e) => ({ ...e, body: e.body.replace('approve', 'x') })) },
      /is not what was sent/,
    ],
    ['a lost acknowledged batch', logOf([a, unanswered]), /is acknowledged, not stored/],
    ['a log size out of step', { ...log, size: 7 }, /logs row says size 7/],
  ])('reports %s', (_name, stored, problem) => {
    expect(loadOutcome([a, b, unanswered], stored).problems.join('\n')).toMatch(problem);
  });

  it('reports a batch ordered before one acknowledged before it was sent', () => {
    const late = batch(20, 30, 0);
    const early = batch(0, 10, 2);
    expect(loadOutcome([early, late], logOf([late, early])).problems).toEqual([
      'a batch sent after seq 3 was acknowledged got seq 0',
    ]);
  });
});
