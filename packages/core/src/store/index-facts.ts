import { canonicalMemberTexts } from '../canonical-member-texts.js';
import { labelOf } from '../event/decision-fields.js';
import { decisionFacts } from '../event/prepare-event.js';
import type { DecisionFacts, LogEntryType } from '../event/prepared-event.js';
import { EVENT_TYPES, type Event } from '../contract/event-schema.js';
import { failure, type Failure } from '../ledger/failure.js';

/**
 * What a store must keep beside a stored entry, derived from its leaf alone: the facts
 * `prepareEvent` (or `prepareAccessEntry`) extracted when it was appended, which every
 * adapter indexes, and the sealed record its `personal` member says is kept beside it.
 */
export interface IndexFacts {
  readonly seq: number;
  readonly id: string;
  readonly type: LogEntryType;
  /** The decision an action, outcome or annotation belongs to; null otherwise. */
  readonly decisionId: string | null;
  /** Action kind, outcome status, or an access entry's action; null otherwise. */
  readonly kind: string | null;
  readonly occurredMs: number;
  readonly recordedMs: number;
  /** A decision's query columns, reason codes, labels and summary; null for other entries. */
  readonly decision: DecisionFacts | null;
  /** An outcome's label as text (see labelText); null for other entries and unlabelled ones. */
  readonly outcomeLabel: string | null;
  /** The sealed record a `personal` member commits to; null when the leaf has none. */
  readonly personal: SealedFacts | null;
}

/** A sealed record a leaf commits to: under whose key it is sealed, and what binds it. */
export interface SealedFacts {
  /** The decision's `subject.id` (null only in a leaf no server would write). */
  readonly subject: string | null;
  /**
   * The `personal` member's JSON text, as the leaf holds it: read (and checked) only when the
   * record is opened against it.
   */
  readonly member: string;
}

/**
 * The top-level members of a leaf its index facts come from, in the order
 * `indexFactsOfMembers` takes their texts (see `canonicalMemberTexts`).
 */
export const INDEX_MEMBERS = [
  'seq',
  'type',
  'id',
  'occurred_at',
  'recorded_at',
  'decision_id',
  'action',
  'outcome',
  'model',
  'rationale',
  'subject',
  'labels',
  'personal',
  'refusal',
  'prediction',
  'confidence',
  'input',
  'cohort',
  'context',
] as const;

type Facts = { readonly ok: true; readonly facts: IndexFacts } | Failure<'unindexable-entry'>;

const ENTRY_TYPES: readonly string[] = [...EVENT_TYPES, 'access', 'security'];

/**
 * The index facts of a stored entry, from its leaf text (the canonical JSON of the stored
 * event), or why the leaf holds no entry a store could have indexed. Never throws: a leaf
 * read from a database is untrusted until its hash is checked, and not always then.
 *
 * @example indexFacts(row.json) // { ok: true, facts: { seq: 4, id: 'dec-1', type: 'decision', … } }
 */
export function indexFacts(leaf: string): Facts {
  const members = canonicalMemberTexts(leaf, INDEX_MEMBERS);
  return members === null
    ? unindexable('the stored event is not canonical JSON')
    : indexFactsOfMembers(members);
}

/**
 * {@link indexFacts} from the texts of the leaf's members named in {@link INDEX_MEMBERS} (a
 * verifier has them from the pass that checked the leaf): only these small members are
 * parsed, never the whole event.
 */
export function indexFactsOfMembers(texts: readonly (string | undefined)[]): Facts {
  const seq = parsed(texts[0]);
  const type = stringOf(texts[1]);
  const id = stringOf(texts[2]);
  if (id === undefined) return unindexable('the event has no string id');
  if (type === undefined || !ENTRY_TYPES.includes(type)) {
    return unindexable(`the event's type ${texts[1] ?? 'undefined'} is not known`);
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
    return unindexable('the event has no integer seq');
  }
  const occurredMs = millis(stringOf(texts[3]));
  const recordedMs = millis(stringOf(texts[4]));
  if (occurredMs === null) return unindexable('the event has no valid occurred_at');
  if (recordedMs === null) return unindexable('the event has no valid recorded_at');
  // Built member by member: a spread of a common part costs more here than the rest together.
  const facts = (
    decisionId: string | null,
    kind: string | null,
    decision: DecisionFacts | null,
    personal: SealedFacts | null,
    outcomeLabel: string | null = null,
  ): Facts => ({
    ok: true,
    facts: {
      seq,
      id,
      type: type as LogEntryType,
      decisionId,
      kind,
      occurredMs,
      recordedMs,
      decision,
      personal,
      outcomeLabel,
    },
  });
  switch (type) {
    case 'decision': {
      const event = {
        model: parsed(texts[8]),
        rationale: parsed(texts[9]),
        subject: parsed(texts[10]),
        labels: parsed(texts[11]),
        personal: parsed(texts[12]),
        prediction: parsed(texts[14]),
        confidence: parsed(texts[15]),
        input: parsed(texts[16]),
        cohort: parsed(texts[17]),
        context: parsed(texts[18]),
      };
      const problem = decisionShapeProblem(event);
      if (problem !== null) return unindexable(problem);
      const decision = decisionFacts(event as unknown as Extract<Event, { type: 'decision' }>);
      const personal = sealedFacts(texts[12], decision.subject);
      if (personal === undefined) return unindexable('its personal member is malformed');
      return facts(null, null, decision, personal);
    }
    case 'access': {
      const kind = stringOf(texts[6]);
      if (kind === undefined) return unindexable('the access entry has no string action');
      return facts(null, kind, null, null);
    }
    case 'security': {
      const kind = stringOf(texts[13]);
      if (kind === undefined) return unindexable('the security entry has no string refusal');
      return facts(null, kind, null, null);
    }
    default: {
      const decisionId = stringOf(texts[5]);
      if (decisionId === undefined) return unindexable('the event has no decision_id');
      const outcome = type === 'outcome' ? parsed(texts[7]) : undefined;
      const kind =
        type === 'action'
          ? member(parsed(texts[6]), 'kind')
          : type === 'outcome'
            ? member(outcome, 'status')
            : null;
      if (kind === undefined) return unindexable(`the ${type} has no kind or status`);
      const personal = sealedFacts(texts[12], null);
      if (personal === undefined) return unindexable('its personal member is malformed');
      const label = isRecord(outcome) ? outcome['label'] : undefined;
      return facts(decisionId, kind, null, personal, label === undefined ? null : labelOf(label));
    }
  }
}

function unindexable(reason: string): Failure<'unindexable-entry'> {
  return failure('unindexable-entry', reason);
}

/** What `decisionFacts` reads, checked first, or what is missing. */
function decisionShapeProblem(event: Readonly<Record<string, unknown>>): string | null {
  const { model, rationale, subject, labels } = event;
  if (!isRecord(model) || typeof model['name'] !== 'string') return 'the decision has no model';
  if (typeof model['version'] !== 'string') return 'the decision has no model version';
  if (!isRecord(rationale) || typeof rationale['summary'] !== 'string') {
    return 'the decision has no rationale summary';
  }
  const reasons = rationale['reasons'];
  if (reasons !== undefined) {
    if (!Array.isArray(reasons)) return 'its reasons are not an array';
    for (const reason of reasons as unknown[]) {
      if (!isRecord(reason) || typeof reason['code'] !== 'string') return 'a reason has no code';
    }
  }
  if (subject !== undefined && !(isRecord(subject) && typeof subject['id'] === 'string')) {
    return 'its subject has no id';
  }
  if (labels !== undefined) {
    if (!isRecord(labels)) return 'its labels are not an object';
    for (const key in labels) if (typeof labels[key] !== 'string') return 'a label is not text';
  }
  return predictionProblem(event);
}

/** What the analyses' columns read, checked: the prediction and the confidence. */
function predictionProblem(event: Readonly<Record<string, unknown>>): string | null {
  const { prediction, confidence } = event;
  if (!isRecord(prediction)) return 'the decision has no prediction';
  const { label, score } = prediction;
  if (label !== undefined && labelOf(label) === null) return 'its predicted label is not a scalar';
  if (score !== undefined && typeof score !== 'number') return 'its score is not a number';
  if (confidence !== undefined && typeof confidence !== 'number') {
    return 'its confidence is not a number';
  }
  return null;
}

/** The `personal` member's facts; null without one, undefined when it is not an object. */
function sealedFacts(
  text: string | undefined,
  subject: string | null,
): SealedFacts | null | undefined {
  if (text === undefined) return null;
  return text.charCodeAt(0) === 0x7b ? { subject, member: text } : undefined;
}

/** A member's value; undefined when absent or not JSON. */
function parsed(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A string member's value: canonical JSON escapes nothing but `"`, `\` and controls. */
function stringOf(text: string | undefined): string | undefined {
  if (text === undefined || text.charCodeAt(0) !== 0x22) return undefined;
  if (!text.includes('\\')) return text.slice(1, -1);
  const value = parsed(text);
  return typeof value === 'string' ? value : undefined;
}

function member(value: unknown, name: string): string | undefined {
  const found = isRecord(value) ? value[name] : undefined;
  return typeof found === 'string' ? found : undefined;
}

function millis(value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
