import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { sealEvent } from '../event/seal-event.js';
import { LIMITS } from './limits.js';
import { validateEvent } from './validate-event.js';

const EXAMPLES = new URL('../../../../docs/examples/events.ndjson', import.meta.url);
const CONTRACT_DOC = new URL('../../../../docs/event-contract.md', import.meta.url);

const lines = readFileSync(EXAMPLES, 'utf8')
  .split('\n')
  .filter((line) => line !== '');

/** The code blocks of the contract document marked `<!-- test: NAME -->`, by name. */
function markedBlocks(name: string): string[] {
  const doc = readFileSync(CONTRACT_DOC, 'utf8');
  const pattern = /<!-- test: ([\w-]+) -->\s*```\w*\n([\s\S]*?)\n```/g;
  return [...doc.matchAll(pattern)].filter((m) => m[1] === name).map((m) => m[2] ?? '');
}

function event(type: string): Record<string, unknown> {
  const found = lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((e) => e.type === type);
  if (!found) throw new Error(`docs/examples/events.ndjson has no ${type} event`);
  return found;
}

describe('docs/examples/events.ndjson', () => {
  test('holds one event of each type', () => {
    expect(lines.map((line) => (JSON.parse(line) as { type: unknown }).type)).toEqual([
      'decision',
      'action',
      'outcome',
      'annotation',
    ]);
  });

  test.each(lines.map((line, index) => [index + 1, line]))(
    'line %i is a valid event',
    (_n, line) => {
      const result = validateEvent(JSON.parse(line));
      expect(result.ok ? [] : result.issues).toEqual([]);
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(LIMITS.maxEventBytes);
    },
  );

  test('the action, outcome and annotation belong to decision dec-0001', () => {
    expect(event('decision').id).toBe('dec-0001');
    for (const type of ['action', 'outcome', 'annotation']) {
      expect(event(type).decision_id).toBe('dec-0001');
    }
    expect((event('outcome').outcome as { action_id?: unknown }).action_id).toBe(
      event('action').id,
    );
  });
});

describe('docs/event-contract.md', () => {
  test('shows exactly the events of docs/examples/events.ndjson', () => {
    const shown = markedBlocks('example').map((block) => JSON.parse(block) as unknown);
    expect(shown).toEqual(lines.map((line) => JSON.parse(line) as unknown));
  });

  test('shows the stored form that sealEvent writes', () => {
    const [stored] = markedBlocks('stored-outcome');
    const { seq, recorded_at } = JSON.parse(stored ?? '{}') as { seq: number; recorded_at: string };
    const outcome = event('outcome') as Parameters<typeof sealEvent>[0];
    expect(stored).toBe(sealEvent(outcome, seq, recorded_at));
    // Its seq is its place in the example file, as a new server stores it.
    expect(seq).toBe(lines.findIndex((line) => line.includes('"type":"outcome"')));
  });

  test('shows the answer a new server gives to the example file, in order', () => {
    const [shown] = markedBlocks('post-results');
    const results = lines.map((line, seq) => ({
      id: (JSON.parse(line) as { id: string }).id,
      seq,
      status: 'created',
    }));
    expect(JSON.parse(shown ?? '{}')).toEqual({ results });
  });

  test('shows the details that validateEvent gives for its invalid event', () => {
    const [invalid] = markedBlocks('invalid-event');
    const [error] = markedBlocks('invalid-event-error');
    const result = validateEvent(JSON.parse(invalid ?? 'null'));
    const details = (JSON.parse(error ?? '{}') as { error: { details: unknown } }).error.details;
    expect(result.ok).toBe(false);
    expect(details).toEqual(
      result.ok ? [] : result.issues.map((issue) => ({ index: 0, ...issue })),
    );
  });
});
