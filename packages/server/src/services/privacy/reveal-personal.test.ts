import { describe, expect, it } from 'vitest';
import type { EventStore, PrunedRow, StoredRow } from '@declog/core';
import { isDeclogError } from '../../errors.js';
import { revealPersonal } from './reveal-personal.js';
import type { SubjectKeys } from './subject-keys.js';

const leaf = JSON.stringify({
  id: 'dec-1',
  personal: { commitment: `${'A'.repeat(43)}=`, fields: ['/cohort'] },
  seq: 7,
  subject: { id: 's-1' },
  type: 'decision',
});
const row: StoredRow = { seq: 7, type: 'decision', json: leaf };
const keys = {
  existingKeys: async () => new Map([['s-1', { ok: true, key: new Uint8Array(32) }]]),
} as unknown as SubjectKeys;

/** A store that keeps no sealed record for the event, and has it pruned or not. */
const storeWithout = (pruned: PrunedRow | null) =>
  ({
    personalData: async () => new Map(),
    prunedById: async () => pruned,
  }) as unknown as EventStore;

async function codeOf(reading: Promise<unknown>): Promise<string> {
  try {
    await reading;
  } catch (error) {
    if (isDeclogError(error)) return error.code;
    throw error;
  }
  return 'served';
}

describe('revealPersonal', () => {
  it('serves no sealed event whose record is missing while its subject keeps its key', async () => {
    expect(await codeOf(revealPersonal(storeWithout(null), 'default', keys)([row]))).toBe(
      'store_inconsistent',
    );
  });

  it('answers pruned when retention pruned the event since it was read', async () => {
    const mark = { seq: 7, type: 'decision', pruned: {} } as unknown as PrunedRow;
    expect(await codeOf(revealPersonal(storeWithout(mark), 'default', keys)([row]))).toBe('pruned');
  });
});
