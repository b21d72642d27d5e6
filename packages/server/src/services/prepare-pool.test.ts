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

  describe('keys offered when a body arrives', () => {
    /** Sealing that offers `offered` for a body's subjects and records what happens. */
    function offering(offered: Uint8Array, stores: boolean, missed: readonly string[] = []) {
      const inForce = SUBJECT_KEY;
      const seen = { asked: [] as (readonly string[])[], offered: [] as (readonly string[])[] };
      const stored: (readonly string[])[] = [];
      let released = 0;
      const sealing = {
        sealText: [],
        keysFor: async (subjects: readonly string[]) => {
          seen.asked.push(subjects);
          return new Map(subjects.map((s) => [s, { ok: true as const, key: inForce }]));
        },
        offerKeys: async (subjects: readonly string[]) => {
          seen.offered.push(subjects);
          return {
            keys: new Map(
              subjects
                .filter((s) => !missed.includes(s))
                .map((s) => [s, { ok: true as const, key: offered }]),
            ),
            store: async (used: readonly string[]) => {
              stored.push(used);
              return stores;
            },
            release: () => (released += 1),
          };
        },
      };
      return { sealing, seen, stored, released: () => released };
    }
    const opened = (event: { members: readonly string[]; personal?: { sealed: string } }) =>
      openPersonalData(
        JSON.parse(`{${event.members.join(',')}}`) as { id: string },
        JSON.parse(event.personal!.sealed) as unknown,
        OFFERED_KEY,
      ).ok;
    const OFFERED_KEY = new Uint8Array(32).fill(5);

    test('seals without asking, and stores the keys of the subjects it sealed for', async () => {
      const { sealing, seen, stored, released } = offering(OFFERED_KEY, true);
      const other = { ...SUBJECT_EVENT, id: 'dec-t', subject: { id: 'subject-8' } };
      const bare = { ...EVENT, id: 'dec-u', subject: { id: 'subject-9' } };
      const body = JSON.stringify({ events: [SUBJECT_EVENT, other, bare] });
      const [sealed] = await pool.prepare(body, false, undefined, sealing);
      expect(seen).toEqual({ asked: [], offered: [['subject-7', 'subject-8']] });
      expect(stored).toEqual([['subject-7', 'subject-8']]);
      expect(released()).toBe(1);
      expect(opened(sealed!)).toBe(true);
    });

    test('a body refused stores no key', async () => {
      const { sealing, stored, released } = offering(OFFERED_KEY, true);
      const invalid = { ...SUBJECT_EVENT, id: 'dec-bad', confidence: 2 };
      const body = JSON.stringify({ events: [SUBJECT_EVENT, invalid] });
      await expect(pool.prepare(body, false, undefined, sealing)).rejects.toMatchObject({
        code: 'invalid_event',
      });
      expect(stored).toEqual([]);
      expect(released()).toBe(1);
    });

    test('another writer stored a key first: sealed again with the keys in force', async () => {
      const { sealing, seen, released } = offering(OFFERED_KEY, false);
      const body = JSON.stringify({ events: [SUBJECT_EVENT] });
      const [sealed] = await pool.prepare(body, false, undefined, sealing);
      expect(seen.asked).toEqual([['subject-7']]);
      expect(released()).toBe(1);
      expect(opened(sealed!)).toBe(false);
      const record = JSON.parse(sealed!.personal!.sealed) as unknown;
      const event = JSON.parse(`{${sealed!.members.join(',')}}`) as { id: string };
      expect(openPersonalData(event, record, SUBJECT_KEY).ok).toBe(true);
    });

    test('the worker asks for the keys of subjects the offer missed', async () => {
      const { sealing, seen } = offering(OFFERED_KEY, true, ['subject-8']);
      const other = { ...SUBJECT_EVENT, id: 'dec-t', subject: { id: 'subject-8' } };
      const body = JSON.stringify({ events: [SUBJECT_EVENT, other] });
      const [first, second] = await pool.prepare(body, false, undefined, sealing);
      expect(seen.asked).toEqual([['subject-8']]);
      expect(opened(first!)).toBe(true);
      expect(opened(second!)).toBe(false);
    });

    test('nothing is offered when the tenant masks: masking may change the subjects', async () => {
      const { sealing, seen } = offering(OFFERED_KEY, true);
      const policy = { masking: parsed.policy, pseudonymKey: KEY };
      const body = JSON.stringify({ events: [SUBJECT_EVENT] });
      const [sealed] = await pool.prepare(body, false, policy, sealing);
      expect(seen).toEqual({ asked: [['subject-7']], offered: [] });
      expect(sealed!.personal?.subject).toBe('subject-7');
    });
  });
});
