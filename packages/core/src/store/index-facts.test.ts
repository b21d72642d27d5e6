import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareAccessEntry } from '../governance/access-entry.js';
import { prepareEvent } from '../event/prepare-event.js';
import { contentText, leafText } from '../event/seal-event.js';
import { validateEvent } from '../contract/validate-event.js';
import type { PreparedEvent } from '../event/prepared-event.js';
import { sealPersonalData } from '../privacy/seal-personal-data.js';
import { canonicalJson } from '../canonical-json.js';
import { indexFacts } from './index-facts.js';

const EXAMPLES = new URL('../../../../docs/examples/events.ndjson', import.meta.url);
const RECORDED_AT = '2026-11-27T09:00:00.000Z';

/** The events of the contract's examples, prepared as an append prepares them. */
const prepared = readFileSync(EXAMPLES, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => {
    const checked = validateEvent(JSON.parse(line));
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    return prepareEvent(checked.event, () => 'unused');
  });

/** What a store was given to index, as `indexFacts` gives it back from the leaf. */
const indexedFrom = (event: PreparedEvent, seq: number) => ({
  seq,
  id: event.id,
  type: event.type,
  decisionId: event.decisionId,
  kind: event.kind,
  occurredMs: event.occurredMs,
  recordedMs: Date.parse(RECORDED_AT),
  decision: event.decision,
  outcomeLabel: event.outcomeLabel ?? null,
});

describe('indexFacts', () => {
  it('gives back, from the leaf alone, the facts prepareEvent gave the store', () => {
    for (const [seq, event] of prepared.entries()) {
      const read = indexFacts(leafText(event, seq, RECORDED_AT));
      if (!read.ok) expect.fail(read.reason);
      // Labels are a set: the leaf lists them in canonical order.
      const { decision, ...rest } = indexedFrom(event, seq);
      expect(read.facts).toEqual({
        ...rest,
        decision: decision && { ...decision, labels: [...decision.labels].sort() },
        personal: null,
      });
    }
  });

  it("and an access entry's, whose kind is its action", () => {
    const entry = prepareAccessEntry(
      {
        occurred_at: RECORDED_AT,
        actor: { key_id: 'k1', name: 'ops', role: 'admin' },
        action: 'decisions.read',
        method: 'GET',
        route: '/v1/decisions/:id',
        records: 1,
        status: 200,
      },
      'acc-1',
    );
    const read = indexFacts(leafText(entry, 3, RECORDED_AT));
    if (!read.ok) expect.fail(read.reason);
    expect(read.facts).toMatchObject({ type: 'access', kind: 'decisions.read', decision: null });
  });

  it('names the sealed record a personal member commits to, under the subject', () => {
    const decision = JSON.parse(`{${prepared[0] ? contentText(prepared[0]) : ''}}`) as Parameters<
      typeof sealPersonalData
    >[0];
    const { event } = sealPersonalData(decision, {
      pointers: ['/input/features', '/cohort'],
      subjectKey: new Uint8Array(32).fill(7),
    });
    const leaf = canonicalJson({ ...event, seq: 0, recorded_at: RECORDED_AT });
    const read = indexFacts(leaf);
    if (!read.ok) expect.fail(read.reason);
    expect(read.facts.personal).toEqual({
      subject: 'applicant-7781',
      member: canonicalJson(event.personal),
    });
    // The facts of the sealed decision: what sealing left in the leaf is what was indexed.
    expect(read.facts.decision?.reasonCodes).toEqual(['INCOME_STABLE', 'NO_ARREARS']);
    // The analyses' columns too: sealed features and cohort still count as present.
    const submitted = prepared[0]?.decision;
    expect(read.facts.decision?.fields).toBe(submitted?.fields);
    expect(read.facts.decision).toMatchObject({
      label: submitted?.label,
      score: submitted?.score,
      confidence: submitted?.confidence,
    });
  });

  it("gives an outcome's label as text, and none for an outcome without one", () => {
    const outcome = prepared.find((event) => event.type === 'outcome');
    if (!outcome) expect.fail('the examples hold an outcome');
    const read = indexFacts(leafText(outcome, 3, RECORDED_AT));
    if (!read.ok) expect.fail(read.reason);
    expect(read.facts.outcomeLabel).toBe('repaid_on_time');
    const bare = leafText(
      prepareEvent(
        {
          type: 'outcome',
          id: 'o-2',
          decision_id: 'd',
          occurred_at: RECORDED_AT,
          outcome: { status: 'success' },
        },
        () => '',
      ),
      4,
      RECORDED_AT,
    );
    const unlabelled = indexFacts(bare);
    expect(unlabelled.ok && unlabelled.facts.outcomeLabel).toBeNull();
  });

  it.each([
    ['text that is not canonical JSON', '{ "id": "x" }', /not canonical JSON/],
    ['no id', '{"seq":1,"type":"decision"}', /no string id/],
    ['an unknown type', '{"id":"a","seq":1,"type":"thing"}', /type "thing" is not known/],
    [
      'no valid occurred_at',
      '{"id":"a","occurred_at":"soon","recorded_at":"2026-01-01T00:00:00Z","seq":1,"type":"annotation"}',
      /occurred_at/,
    ],
    [
      'a decision without a model',
      '{"id":"a","occurred_at":"2026-01-01T00:00:00Z","recorded_at":"2026-01-01T00:00:00Z","seq":1,"type":"decision"}',
      /no model/,
    ],
    [
      'an outcome without a status',
      '{"decision_id":"d","id":"a","occurred_at":"2026-01-01T00:00:00Z","outcome":{},"recorded_at":"2026-01-01T00:00:00Z","seq":1,"type":"outcome"}',
      /no kind or status/,
    ],
  ])('says what a store could not have indexed: %s', (_, leaf, reason) => {
    const read = indexFacts(leaf);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(reason);
  });
});
