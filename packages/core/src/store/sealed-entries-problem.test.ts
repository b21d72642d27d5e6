import { describe, expect, test } from 'vitest';
import { validateEvent } from '../contract/validate-event.js';
import { prepareEvent } from '../event/prepare-event.js';
import { leafText } from '../event/seal-event.js';
import type { SealedEntry } from './event-store.js';
import { sealedEntriesProblem } from './sealed-entries-problem.js';

const AT = '2026-11-27T10:00:01.250Z';

function entry(id: string, seq: number, recordedAt = AT): SealedEntry {
  const checked = validateEvent({
    id,
    type: 'annotation',
    decision_id: 'dec-1',
    occurred_at: '2026-11-27T10:00:00Z',
    annotation: { text: 'seen' },
  });
  if (!checked.ok) throw new Error('invalid test event');
  const event = prepareEvent(checked.event, () => id);
  return { event, seq, recordedAt, json: leafText(event, seq, recordedAt) };
}

describe('sealedEntriesProblem', () => {
  test('accepts entries that continue the log one by one, and no entries at all', () => {
    expect(sealedEntriesProblem([entry('a', 4), entry('b', 5), entry('c', 6)], 4)).toBeNull();
    expect(sealedEntriesProblem([], 9)).toBeNull();
  });

  test('names a first seq that is not the log size', () => {
    expect(sealedEntriesProblem([entry('a', 3)], 4)).toMatch(/holds 4 entries.*seq 4, not 3/);
    expect(sealedEntriesProblem([entry('a', 5)], 4)).toMatch(/seq 4, not 5/);
  });

  test('names a gap or a repeat inside the entries', () => {
    expect(sealedEntriesProblem([entry('a', 0), entry('b', 2)], 0)).toMatch(
      /seq 1 expected after seq 0, not 2/,
    );
    expect(sealedEntriesProblem([entry('a', 0), entry('b', 0)], 0)).toMatch(/seq 1 expected/);
  });

  test('refuses bytes other than the event sealed with its seq and recorded_at', () => {
    const good = entry('a', 0);
    const spaced = { ...good, json: good.json.replace(':', ': ') };
    expect(sealedEntriesProblem([spaced], 0)).toMatch(/^seq 0: the stored bytes/);
    const otherTime = { ...good, recordedAt: '2026-11-27T10:00:01.251Z' };
    expect(sealedEntriesProblem([otherTime], 0)).toMatch(/^seq 0: the stored bytes/);
    expect(sealedEntriesProblem([{ ...good, event: entry('b', 0).event }], 0)).toMatch(
      /^seq 0: the stored bytes/,
    );
  });

  test('refuses a recorded_at that is not a timestamp, and an id given twice', () => {
    expect(sealedEntriesProblem([entry('a', 0, 'yesterday')], 0)).toMatch(/not a timestamp/);
    expect(sealedEntriesProblem([entry('a', 0), entry('a', 1)], 0)).toMatch(
      /seq 1: id a appears twice/,
    );
  });
});
