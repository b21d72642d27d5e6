import { describe, expect, it } from 'vitest';
import { canonicalJson, leafHash } from '@declog/core';
import { checkEntry } from './check-entry.js';

const event = { id: 'd-1', seq: 4, type: 'decision', rationale: { summary: 'ok' } };
const leaf = Buffer.from(canonicalJson(event));

describe('checkEntry', () => {
  it('returns the leaf hash of a leaf that is the canonical JSON of its event at its seq', () => {
    expect(checkEntry({ seq: 4, leaf, event })).toEqual({ ok: true, leafHash: leafHash(leaf) });
    const text = canonicalJson(event);
    expect(checkEntry({ seq: 4, leaf: text, event })).toEqual({
      ok: true,
      leafHash: leafHash(leaf),
    });
    expect(checkEntry({ seq: 4, leaf: `${text} `, event })).toMatchObject({ code: 'edited-entry' });
  });

  it.each([
    ['another seq', { seq: 5, leaf, event }, 'reordered-entry'],
    [
      'an event without seq',
      { seq: 4, leaf, event: { ...event, seq: undefined } },
      'reordered-entry',
    ],
    ['another event', { seq: 4, leaf, event: { ...event, id: 'd-2' } }, 'edited-entry'],
    [
      'non-canonical leaf bytes',
      { seq: 4, leaf: Buffer.from(JSON.stringify(event, null, 1)), event },
      'edited-entry',
    ],
    ['an event that is not an object', { seq: 4, leaf, event: [event] }, 'edited-entry'],
  ])('refuses %s', (_name, entry, code) => {
    expect(checkEntry(entry)).toMatchObject({ ok: false, code });
  });
});
