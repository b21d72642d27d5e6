import {
  canonicalMembers,
  contentText,
  leafText,
  maskEvent,
  parseMaskingPolicy,
  prepareEvent,
  sealMembers,
  type Event,
} from '@declog/core';
import { expect, test } from 'vitest';
import { sealedEntryOfRow } from './sealed-entry-of-row.js';

const parsed = parseMaskingPolicy({ rules: [{ path: 'context.actor', action: 'drop' }] });
if (!parsed.ok) throw new Error('the test policy is valid');
const EVENT = {
  id: 'dec-1',
  type: 'decision',
  occurred_at: '2026-11-27T10:00:00Z',
  model: { name: 'm', version: '1' },
  prediction: { label: 'x' },
  rationale: { summary: 's' },
  context: { actor: 'clerk-1', channel: 'web' },
} satisfies Event;

function row(json: string) {
  return { seq: 3, type: 'decision', json } as Parameters<typeof sealedEntryOfRow>[0];
}

test('a masked event with its markers re-derives to the same bytes (copy)', () => {
  const prepared = prepareEvent(maskEvent(EVENT, parsed.policy, new Uint8Array(16)), () => '');
  const json = leafText(prepared, 3, '2026-11-27T10:00:01.000Z');
  expect(json).toContain('"erased":["/context/actor"]');
  const derived = sealedEntryOfRow(row(json));
  expect(derived.ok && contentText(derived.entry.event)).toBe(contentText(prepared));
});

test('malformed masking markers are reported', () => {
  const json = sealMembers(
    [...canonicalMembers({ ...EVENT, id: '' }), '"masked":["not a pointer"]'].sort(),
    3,
    '2026-11-27T10:00:01.000Z',
  );
  const derived = sealedEntryOfRow(row(json));
  expect(derived.ok ? '' : derived.reason).toContain('masking markers are malformed');
});
