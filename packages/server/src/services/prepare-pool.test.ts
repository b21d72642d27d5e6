import { openPersonalData, parseMaskingPolicy, pseudonym } from '@declog/core';
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

const SUBJECT_KEY = new Uint8Array(32).fill(7);
const SUBJECT_EVENT = {
  ...EVENT,
  id: 'dec-s',
  subject: { id: 'subject-7' },
  input: { features: { income: 0.42 } },
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

  test('a batch is sealed on the worker with the keys this thread looks up', async () => {
    const asked: (readonly string[])[] = [];
    const sealing = {
      sealText: [],
      keysFor: async (subjects: readonly string[]) => {
        asked.push(subjects);
        return new Map(subjects.map((s) => [s, { ok: true as const, key: SUBJECT_KEY }]));
      },
    };
    const body = JSON.stringify({ events: [SUBJECT_EVENT, { ...EVENT, id: 'dec-2' }] });
    const [sealed, plain] = await pool.prepare(body, false, undefined, sealing);
    expect(asked).toEqual([['subject-7']]);
    expect(sealed!.personal?.subject).toBe('subject-7');
    expect(sealed!.members.join()).not.toContain('0.42');
    const record = JSON.parse(sealed!.personal!.sealed) as unknown;
    const event = JSON.parse(`{${sealed!.members.join(',')}}`) as { id: string };
    const opened = openPersonalData(event, record, SUBJECT_KEY);
    expect(opened.ok && opened.values).toEqual({ '/input/features': { income: 0.42 } });
    expect(plain!.personal).toBeUndefined();
  });

  test('a failed key lookup fails the batch with its own error, and the pool goes on', async () => {
    const outage = new Error('the database is unreachable');
    const sealing = { sealText: [], keysFor: () => Promise.reject(outage) };
    const body = JSON.stringify({ events: [SUBJECT_EVENT] });
    await expect(pool.prepare(body, false, undefined, sealing)).rejects.toBe(outage);
    const [plain] = await pool.prepare(JSON.stringify({ events: [EVENT] }), false);
    expect(plain!.id).toBe('dec-1');
  });

  test('without a policy the worker stores events as sent', async () => {
    const [plain] = await pool.prepare(JSON.stringify({ events: [EVENT] }), false);
    expect(plain!.decision!.labels).toEqual([['owner', 'ann@example.com']]);
  });
});
