import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson, canonicalMembers } from '../canonical-json.js';
import type { Event } from '../contract/event-schema.js';
import { prepareEvent } from './prepare-event.js';
import { prepareAccessEntry } from '../governance/access-entry.js';
import {
  contentDigest,
  contentText,
  leafText,
  sameContent,
  samePrunedContent,
  sealEvent,
  sealMembers,
  storedContentDigest,
  storedLeafText,
} from './seal-event.js';
import { sealDecisionMembers } from '../privacy/seal-decision-members.js';
import { sha256OfText } from '../ledger/_crypto.js';
import { compactEventText } from '../store/compact-event-text.js';

const noId = (): string => {
  throw new Error('every event here has an id');
};

const RECORDED_AT = '2026-11-27T10:00:01.250Z';

const DECISION = {
  id: 'dec-0001',
  type: 'decision',
  occurred_at: '2026-11-27T10:00:00+01:00',
  model: { name: 'credit-risk', version: '4.2.0' },
  prediction: { label: 'approve', score: 0.91, value: { limit: 5000, currency: 'EUR' } },
  rationale: {
    summary: 'Stable income.',
    reasons: [
      { code: 'INCOME_STABLE', weight: 0.6 },
      { code: 'NO_ARREARS', weight: 0.3 },
    ],
  },
  labels: { team: 'risk' },
} satisfies Event & { id: string };

/** The same event with every object's keys in another order. */
const REORDERED = {
  labels: { team: 'risk' },
  rationale: {
    reasons: [
      { weight: 0.6, code: 'INCOME_STABLE' },
      { weight: 0.3, code: 'NO_ARREARS' },
    ],
    summary: 'Stable income.',
  },
  prediction: { value: { currency: 'EUR', limit: 5000 }, score: 0.91, label: 'approve' },
  model: { version: '4.2.0', name: 'credit-risk' },
  occurred_at: '2026-11-27T10:00:00+01:00',
  type: 'decision',
  id: 'dec-0001',
} satisfies Event & { id: string };

describe('sealEvent', () => {
  test('is the canonical JSON of the event with its seq and recorded_at', () => {
    const sealed = sealEvent(DECISION, 7, RECORDED_AT);
    expect(sealed).toBe(canonicalJson({ ...DECISION, seq: 7, recorded_at: RECORDED_AT }));
    expect(JSON.parse(sealed)).toEqual({ ...DECISION, seq: 7, recorded_at: RECORDED_AT });
  });

  test('writes sorted keys and no whitespace', () => {
    const sealed = sealEvent(
      {
        id: 'o-1',
        type: 'outcome',
        occurred_at: '2026-11-27T10:00:00Z',
        decision_id: 'd',
        outcome: { status: 'success', value: 1 },
      },
      3,
      RECORDED_AT,
    );
    expect(sealed).toBe(
      '{"decision_id":"d","id":"o-1","occurred_at":"2026-11-27T10:00:00Z",' +
        '"outcome":{"status":"success","value":1},"recorded_at":"2026-11-27T10:00:01.250Z","seq":3,"type":"outcome"}',
    );
  });

  test('does not depend on the key order of the submitted event', () => {
    expect(sealEvent(REORDERED, 0, RECORDED_AT)).toBe(sealEvent(DECISION, 0, RECORDED_AT));
  });

  test('leaves the event unchanged', () => {
    const event = structuredClone(DECISION);
    sealEvent(event, 1, RECORDED_AT);
    expect(event).toEqual(DECISION);
  });
});

describe('sameContent', () => {
  const stored = sealEvent(DECISION, 12, RECORDED_AT);

  test('a resubmission of the same event is the same content', () => {
    expect(sameContent(stored, prepareEvent(DECISION, noId))).toBe(true);
  });

  test('key order does not matter', () => {
    expect(sameContent(stored, prepareEvent(REORDERED, noId))).toBe(true);
  });

  test('seq and recorded_at are not content', () => {
    expect(
      sameContent(
        sealEvent(DECISION, 99, '2030-01-01T00:00:00.000Z'),
        prepareEvent(DECISION, noId),
      ),
    ).toBe(true);
  });

  test.each([
    ['a changed score', { ...DECISION, prediction: { ...DECISION.prediction, score: 0.92 } }],
    [
      'a changed nested value',
      {
        ...DECISION,
        prediction: { ...DECISION.prediction, value: { limit: 5000, currency: 'USD' } },
      },
    ],
    [
      'reordered reasons',
      {
        ...DECISION,
        rationale: { ...DECISION.rationale, reasons: [...DECISION.rationale.reasons].reverse() },
      },
    ],
    ['an added field', { ...DECISION, confidence: 0.5 }],
    [
      'the same instant written in another offset',
      { ...DECISION, occurred_at: '2026-11-27T09:00:00Z' },
    ],
    ['another id', { ...DECISION, id: 'dec-0002' }],
  ])('%s is other content', (_name, submitted) => {
    expect(sameContent(stored, prepareEvent(submitted as Event, noId))).toBe(false);
  });

  test('a removed field is other content', () => {
    const { labels, ...unlabelled } = DECISION;
    expect(labels).toBeDefined();
    expect(sameContent(stored, prepareEvent(unlabelled, noId))).toBe(false);
  });
});

describe('samePrunedContent: a resend of a pruned entry', () => {
  const PERSONAL = { ...DECISION, subject: { id: 'subject-9' }, cohort: { band: 'B' } };
  /** The decision sealed under `key`; `erased`: as a decision of an erased subject arrives. */
  const sealed = (event: Event, key: number, erased = false) =>
    prepareEvent(event, noId, (decision, members) => {
      const done = sealDecisionMembers(decision, members, new Uint8Array(32).fill(key), {
        summary: false,
        reasonDetails: false,
      });
      if (done === null) return null;
      return erased
        ? { members: done.members, summarySealed: false }
        : {
            members: done.members,
            personal: { subject: 'subject-9', sealed: done.sealed },
            summarySealed: false,
          };
    });
  const mark = storedContentDigest(leafText(sealed(PERSONAL, 1), 4, RECORDED_AT));

  test('the same decision sealed again under its key is the same content', () => {
    expect(samePrunedContent(mark, sealed(PERSONAL, 1))).toBe(true);
  });

  test('sealed under a throwaway key, its subject erased since, it is still the same', () => {
    const resent = sealed(PERSONAL, 2, true);
    expect(contentText(resent)).not.toBe(contentText(sealed(PERSONAL, 1)));
    expect(samePrunedContent(mark, resent)).toBe(true);
  });

  test('other content under the id is not', () => {
    const changed = { ...PERSONAL, prediction: { label: 'deny' } };
    expect(samePrunedContent(mark, sealed(changed, 2, true))).toBe(false);
    expect(samePrunedContent(mark, sealed(changed, 1))).toBe(false);
  });

  test('a mark that digested the whole content (before the commitment was left out) still matches its event', () => {
    const event = sealed(PERSONAL, 1);
    const whole = sha256OfText(contentText(event));
    expect(Buffer.from(whole).equals(Buffer.from(contentDigest(event)))).toBe(false);
    expect(samePrunedContent(whole, event)).toBe(true);
  });

  test('an event without personal values is digested as it is', () => {
    const plain = prepareEvent(DECISION, noId);
    expect(Buffer.from(contentDigest(plain))).toEqual(
      Buffer.from(sha256OfText(contentText(plain))),
    );
    expect(samePrunedContent(storedContentDigest(sealEvent(DECISION, 3, RECORDED_AT)), plain)).toBe(
      true,
    );
  });
});

describe('sealMembers', () => {
  test('gives the same bytes as sealing the whole event', () => {
    const events = [
      {
        id: 'a',
        type: 'decision',
        occurred_at: '2026-01-01T00:00:00Z',
        rationale: { summary: 'x' },
      },
      {
        id: 'b',
        type: 'action',
        subject: { id: 's' },
        seqx: 1,
        rationale: 1,
        recorded: 2,
        s: 3,
        z: 4,
      },
      { id: 'c' },
    ];
    for (const event of events) {
      for (const seq of [0, 7, 123456]) {
        expect(sealMembers(canonicalMembers(event), seq, '2026-11-27T00:00:00.000Z')).toBe(
          sealEvent(event as never, seq, '2026-11-27T00:00:00.000Z'),
        );
      }
    }
  });

  test('agrees with sealEvent for any object with identifier keys (property)', () => {
    const objects = fc.dictionary(fc.stringMatching(/^[a-z_][a-z_0-9]{0,12}$/), fc.jsonValue());
    fc.assert(
      fc.property(objects, fc.nat(), (object, seq) => {
        const { seq: _s, recorded_at: _r, ...rest } = object;
        expect(sealMembers(canonicalMembers(rest), seq, 'T')).toBe(
          sealEvent(rest as never, seq, 'T'),
        );
      }),
    );
  });
});

describe('leafText and storedLeafText', () => {
  test('are the sealed event and its stored form, from the prepared pieces', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(DECISION, REORDERED),
        fc.nat(),
        fc.date({ noInvalidDate: true }),
        (event, seq, at) => {
          const recordedAt = at.toISOString();
          const prepared = prepareEvent(event, noId);
          const sealed = sealEvent(event, seq, recordedAt);
          expect(leafText(prepared, seq, recordedAt)).toBe(sealed);
          expect(storedLeafText(prepared, seq, recordedAt)).toBe(compactEventText(sealed));
        },
      ),
    );
  });
});

describe('leafText of an entry with members between recorded_at and seq', () => {
  test('places them as canonical JSON does (an access entry: records, route)', () => {
    const entry = {
      occurred_at: '2026-11-27T10:00:00.000Z',
      actor: { key_id: 'k1', name: 'auditor', role: 'auditor' },
      action: 'decisions.read',
      method: 'GET',
      route: '/v1/decisions/:id',
      records: 1,
      status: 200,
    };
    const prepared = prepareAccessEntry(entry, 'acc-1');
    const expected = canonicalJson({
      ...entry,
      id: 'acc-1',
      type: 'access',
      seq: 4,
      recorded_at: RECORDED_AT,
    });
    expect(leafText(prepared, 4, RECORDED_AT)).toBe(expected);
    expect(storedLeafText(prepared, 4, RECORDED_AT)).toBe(compactEventText(expected));
  });
});
