import { describe, expect, it } from 'vitest';
import { sealEvent } from '../event/seal-event.js';
import { leafHashOfText } from '../ledger/hashes.js';
import { merkleRoot, referenceInclusionProof } from '../ledger/reference-tree.js';
import { verifyInclusion } from '../ledger/verify-inclusion.js';
import { erasedView } from './erased-view.js';
import { ALL_DECISION_FIELDS, KEY_A, LOAN, NOTE } from './fixtures/personal-events.js';
import { openPersonalData } from './open-personal-data.js';
import { sealPersonalData } from './seal-personal-data.js';

const erasure = { erased_at: '2026-12-01T09:00:00Z', erased_by: 'dpo@example.org' };

describe('erasedView', () => {
  it('marks the personal member erased, with when and by whom', () => {
    const { event } = sealPersonalData(LOAN, { pointers: ALL_DECISION_FIELDS, subjectKey: KEY_A });
    expect(erasedView(event, erasure)).toEqual({
      ...event,
      personal: { ...event.personal, erased: true, ...erasure },
    });
  });

  it('returns an event that had no personal data as it is', () => {
    expect(erasedView(NOTE, erasure)).toBe(NOTE);
  });

  it('still proves inclusion after the key is gone: the leaf never held the values', () => {
    const sealed = [LOAN, { ...LOAN, id: 'dec-2' }].map((e) =>
      sealPersonalData(e, { pointers: ALL_DECISION_FIELDS, subjectKey: KEY_A }),
    );
    const leaves = sealed.map((s, seq) => sealEvent(s.event, seq, '2026-11-27T10:00:01Z'));
    const hashes = leaves.map(leafHashOfText);
    const root = merkleRoot(hashes);

    // Erasure: the key is destroyed. The records no longer open with anything we hold.
    const destroyed = new Uint8Array(32);
    expect(openPersonalData(sealed[0]!.event, sealed[0]!.sealed, destroyed)).toMatchObject({
      code: 'undecryptable',
    });

    // A reader gets the erased view, drops the erasure members and recomputes the leaf.
    const stored = JSON.parse(leaves[0]!) as (typeof sealed)[0]['event'] & {
      seq: number;
      recorded_at: string;
    };
    const view = erasedView(stored, erasure);
    const {
      erased: _e,
      erased_at: _at,
      erased_by: _by,
      ...personal
    } = view.personal as {
      erased: true;
      erased_at: string;
      erased_by: string;
    };
    const { seq, recorded_at, ...event } = { ...view, personal };
    const leaf = sealEvent(event as (typeof sealed)[0]['event'], seq, recorded_at);
    expect(leaf).toBe(leaves[0]);
    const proof = referenceInclusionProof(hashes, 0);
    expect(verifyInclusion(leafHashOfText(leaf), 0, 2, proof, root)).toEqual({ ok: true });
  });
});
