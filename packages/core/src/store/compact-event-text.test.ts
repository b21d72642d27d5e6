import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { compactEventText, expandEventText } from './compact-event-text.js';

const DECISION = canonicalJson({
  id: 'dec-1',
  type: 'decision',
  occurred_at: '2026-11-01T10:00:00Z',
  recorded_at: '2026-11-01T10:00:01.000Z',
  seq: 7,
  model: { name: 'credit-risk', version: '3.1.0' },
  prediction: { label: 'approve', score: 0.91 },
  confidence: 0.91,
  rationale: {
    summary: 'stable income',
    reasons: [{ code: 'income_verified', weight: 0.6 }, { code: 'tenure_long' }],
  },
  subject: { id: 'cust-1' },
  personal: { commitment: 'AAAA', fields: ['/input/features'] },
  context: { channel: 'web' },
  labels: { team: 'risk' },
});

// Texts with the phrases' own characters in them, to find a phrase that a round trip breaks.
const phraseAlphabet = fc.constantFrom(
  ...'{}[]",:/ \\abcdefghijklmnopqrstuvwxyz_0123456789\u00e9\ud83d\ude00'.split(''),
);

describe('compactEventText', () => {
  test('stores a decision in far fewer bytes and expands it byte for byte', () => {
    const stored = compactEventText(DECISION);
    expect(stored.length).toBeLessThan(DECISION.length * 0.75);
    expect(expandEventText(stored)).toBe(DECISION);
  });

  test('expands every stored canonical event to itself', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const text = canonicalJson(value);
        expect(expandEventText(compactEventText(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  test('round-trips any text without control characters, phrases or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: phraseAlphabet, maxLength: 200 }), (text) => {
        expect(expandEventText(compactEventText(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  test('keeps a text with a control character as it is, and expands it as it is', () => {
    const raw = '{"summary":"a\u0002b","id":"x"}';
    expect(compactEventText(raw)).toBe(raw);
    expect(expandEventText(raw)).toBe(raw);
  });

  test('reads a text stored before compaction, or edited by hand, as it stands', () => {
    expect(expandEventText(DECISION)).toBe(DECISION);
    const spaced = JSON.stringify(JSON.parse(DECISION), null, 1);
    expect(expandEventText(spaced)).toBe(spaced);
  });

  test('marks what it compacts, and only that', () => {
    expect(compactEventText(DECISION).startsWith('\u0001')).toBe(true);
    expect(compactEventText('{}')).toBe('\u0001{}');
    expect(expandEventText('\u0001{}')).toBe('{}');
  });
});
