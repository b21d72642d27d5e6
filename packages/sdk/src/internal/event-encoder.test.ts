import { validateEvent } from '@declog/core/contract';
import { describe, expect, it } from 'vitest';
import { isDecisionLogError } from '../decision-log-error.js';
import { eventEncoder } from './event-encoder.js';

const decision = (extra: Record<string, unknown> = {}) => ({
  id: 'd-1',
  type: 'decision',
  occurred_at: '2026-12-07T10:00:00Z',
  model: { name: 'm', version: '1' },
  prediction: { score: 0.5 },
  rationale: { summary: 'because' },
  ...extra,
});

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('eventEncoder', () => {
  const encode = eventEncoder(undefined);

  it('encodes a valid event once, as JSON, with its id and UTF-8 size', () => {
    const record = encode(decision({ labels: { city: 'Zürich' } }));
    expect(record.id).toBe('d-1');
    expect(JSON.parse(record.json)).toEqual(decision({ labels: { city: 'Zürich' } }));
    expect(record.bytes).toBe(Buffer.byteLength(record.json));
  });

  it("throws invalid_event with exactly the server's issues", () => {
    const bad = decision({ confidence: 2, model: { name: 'm' }, extra: true });
    const error = thrown(() => encode(bad));
    expect(isDecisionLogError(error, 'invalid_event')).toBe(true);
    const expected = validateEvent(bad);
    expect(expected.ok).toBe(false);
    expect((error as { issues: unknown }).issues).toEqual(!expected.ok && expected.issues);
    expect(String(error)).toMatch(/^DecisionLogError: invalid decision: /);
  });

  it('refuses what JSON cannot hold instead of sending something else', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 'lone \ud800 surrogate']) {
      const error = thrown(() => encode(decision({ prediction: { value } })));
      expect(isDecisionLogError(error, 'invalid_event'), String(value)).toBe(true);
      expect((error as { issues: { path: string }[] }).issues[0]?.path).toBe('');
    }
    // null itself is fine, in free-form data and elsewhere.
    expect(() => encode(decision({ prediction: { value: null } }))).not.toThrow();
  });

  it('refuses an event over 64 KiB as event_too_large', () => {
    const error = thrown(() => encode(decision({ prediction: { value: 'x'.repeat(70_000) } })));
    expect(isDecisionLogError(error, 'event_too_large')).toBe(true);
  });

  it('masks with the policy and sends no markers', () => {
    const masked = eventEncoder({
      policy: {
        rules: [
          { path: 'labels', action: 'drop' },
          { path: 'context.actor', action: 'truncate', keep: 2 },
        ],
      },
    });
    const record = masked(decision({ labels: { a: 'b' }, context: { actor: 'alice' } }));
    const sent = JSON.parse(record.json) as Record<string, unknown>;
    expect(sent['labels']).toBeUndefined();
    expect(sent['context']).toEqual({ actor: 'al' });
    expect(Object.keys(sent)).not.toContain('masked');
    expect(Object.keys(sent)).not.toContain('erased');
  });
});
