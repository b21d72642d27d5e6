import { parseMaskingPolicy, pseudonym } from '@declog/core';
import { afterAll, describe, expect, test } from 'vitest';
// The pool starts its worker from the built file next to it, so the test uses the build.
import { createPreparePool } from '../../dist/services/prepare-pool.js';

const parsed = parseMaskingPolicy({ rules: [{ path: 'labels.owner', action: 'pseudonymize' }] });
if (!parsed.ok) throw new Error('the test policy is valid');
const KEY = new Uint8Array(32).fill(9);

const EVENT = {
  id: 'dec-1',
  type: 'decision',
  occurred_at: '2026-11-27T10:00:00Z',
  model: { name: 'm', version: '1' },
  prediction: { label: 'x' },
  rationale: { summary: 's' },
  labels: { owner: 'ann@example.com' },
};

describe('createPreparePool', () => {
  const pool = createPreparePool(1);
  afterAll(() => pool.close());

  test('the ingest policy and its key cross to the worker thread', async () => {
    const body = JSON.stringify({ events: [EVENT] });
    const [masked] = await pool.prepare(body, false, { masking: parsed.policy, pseudonymKey: KEY });
    expect(masked!.decision!.labels).toEqual([['owner', pseudonym('ann@example.com', KEY)]]);
    expect(masked!.members).toContain('"masked":["/labels/owner"]');
  });

  test('without a policy the worker stores events as sent', async () => {
    const [plain] = await pool.prepare(JSON.stringify({ events: [EVENT] }), false);
    expect(plain!.decision!.labels).toEqual([['owner', 'ann@example.com']]);
  });
});
