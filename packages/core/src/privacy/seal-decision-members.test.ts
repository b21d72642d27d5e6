import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import type { DecisionEvent } from '../contract/event-schema.js';
import { decisionArbitrary } from '../contract/fixtures/event-arbitraries.js';
import { validateEvent } from '../contract/validate-event.js';
import { encodeMembers } from '../event/encode-members.js';
import { packSealedRecord } from './packed-sealed-record.js';
import { personalPointers } from './personal-fields.js';
import { sealPersonalData } from './seal-personal-data.js';
import { sealDecisionMembers, type IdentifiedDecision } from './seal-decision-members.js';
import type { RandomBytes } from './_aes-gcm.js';

/** The salt and nonce sealing has always drawn: HMAC blocks over the event's canonical text. */
function derivedRandom(key: Uint8Array, eventText: string): RandomBytes {
  let counter = 0;
  let block = new Uint8Array(0);
  return (size) => {
    const out = new Uint8Array(size);
    for (let filled = 0; filled < size;) {
      if (block.length === 0) {
        block = createHmac('sha256', key)
          .update(`declog/seal-random/v1\u0000${counter}\u0000`)
          .update(eventText)
          .digest();
        counter += 1;
      }
      const taken = block.subarray(0, size - filled);
      out.set(taken, filled);
      filled += taken.length;
      block = block.subarray(taken.length);
    }
    return out;
  };
}

const KEY = new Uint8Array(32).fill(7);

describe('sealDecisionMembers', () => {
  test.each([
    ['features and cohort', { summary: false, reasonDetails: false }],
    ['and the summary', { summary: true, reasonDetails: false }],
    ['and reason details', { summary: true, reasonDetails: true }],
  ])('writes the leaf members and record that sealPersonalData does (%s)', (_name, sealing) => {
    const configured = [
      ...(sealing.summary ? ['/rationale/summary'] : []),
      ...(sealing.reasonDetails ? ['/rationale/reasons/*/detail'] : []),
    ];
    const pointers = personalPointers('decision', configured);
    if (!pointers.ok) throw new Error(pointers.reason);
    fc.assert(
      fc.property(decisionArbitrary, (value) => {
        fc.pre(validateEvent(value).ok);
        const event = value as IdentifiedDecision;
        const members = encodeMembers(event);
        const reference = sealPersonalData(event, {
          pointers: pointers.pointers,
          subjectKey: KEY,
          random: derivedRandom(KEY, `{${members.join(',')}}`),
        });
        const fast = sealDecisionMembers(event, members, KEY, sealing);
        if (reference.sealed === null) {
          expect(fast).toBeNull();
          return;
        }
        expect(fast?.members).toEqual(
          encodeMembers(reference.event as DecisionEvent & { id: string }),
        );
        expect(fast?.sealed).toEqual(packSealedRecord(JSON.stringify(reference.sealed)));
      }),
      { numRuns: 600 },
    );
  });

  test('leaves a decision without personal values alone', () => {
    const event = {
      id: 'd1',
      type: 'decision',
      occurred_at: '2026-11-27T10:00:00Z',
      model: { name: 'm', version: '1' },
      prediction: { label: 'x' },
      rationale: { summary: 's' },
    } as const;
    const members = encodeMembers(event);
    expect(
      sealDecisionMembers(event, members, KEY, { summary: false, reasonDetails: false }),
    ).toBeNull();
    expect(canonicalJson(event)).toBe(`{${members.join(',')}}`);
  });
});
