// The event contract seen from masking: for every field a rule may name, what it holds and
// which actions keep every valid event valid. Derived by hand from contract/event-schema.ts;
// mask-event.test.ts checks the claim against the schema with random events and policies.

/** What a field holds, as far as a replacement value has to fit it. */
export type SlotValue =
  | 'text' // a string with no format: any string of 1..max characters fits
  | 'number' // a number only
  | 'scalar' // a string, number, boolean (or null in features)
  | 'json' // any JSON value
  | 'fixed'; // an id, URI, enum or container: no replacement fits

export interface Slot {
  /** Why no rule may touch it; absent when rules may. */
  readonly locked?: string;
  /** Only `text.fields` may name it (the required free texts). */
  readonly textOnly?: true;
  /** Why it cannot be dropped; absent when it can. */
  readonly keep?: string;
  readonly value: SlotValue;
  /** Longest string the contract allows here, in characters. */
  readonly max?: number;
  readonly members?: Readonly<Record<string, Slot>>;
  /** The slot of every member of a record or item of an array (`*`). */
  readonly each?: Slot;
  readonly array?: true;
}

const REQUIRED = 'it is required';
const ITEM = 'it is an array item (drop the array instead)';
const text = (max: number, keep?: string): Slot => ({ value: 'text', max, ...(keep && { keep }) });
const number: Slot = { value: 'number' };
const locked = (why: string): Slot => ({ locked: why, value: 'fixed' });

/** Free-form JSON: every path below it exists in some valid event, and any value fits. */
export const FREE: Slot = {
  value: 'json',
  get each() {
    return FREE;
  },
};
const freeRoot = (keep?: string): Slot => ({ ...FREE, each: FREE, ...(keep && { keep }) });

const ENVELOPE = 'the envelope is what the ledger and the event chain need';
const INDEXED = 'it is a query column every store indexes';
const ONE_OF_PREDICTION = 'prediction needs at least one of label, score, value';
const ONE_OF_INPUT = 'input needs at least one of ref, digest, features';
const stringMap = (max: number): Slot => ({ value: 'fixed', each: text(max) });

/** The top-level members of the four event types (their names never collide). */
export const ROOT: Slot = {
  value: 'fixed',
  members: {
    id: locked(ENVELOPE),
    type: locked(ENVELOPE),
    occurred_at: locked(ENVELOPE),
    decision_id: locked(ENVELOPE),
    model: {
      value: 'fixed',
      locked: 'a model is required',
      members: {
        name: locked(INDEXED),
        version: locked(INDEXED),
        uri: { value: 'fixed' },
        digest: text(256),
      },
    },
    prediction: {
      value: 'fixed',
      locked: 'a prediction is required and must keep one of label, score, value',
      members: {
        label: { value: 'scalar', max: 4096, keep: ONE_OF_PREDICTION },
        score: { value: 'number', keep: ONE_OF_PREDICTION },
        value: freeRoot(ONE_OF_PREDICTION),
      },
    },
    confidence: number,
    rationale: {
      value: 'fixed',
      locked: 'a rationale is required',
      members: {
        summary: { value: 'text', max: 2000, textOnly: true, keep: REQUIRED },
        reasons: {
          value: 'fixed',
          array: true,
          each: {
            value: 'fixed',
            keep: ITEM,
            members: { code: text(256, REQUIRED), weight: number, detail: text(2000) },
          },
        },
        policy: {
          value: 'fixed',
          members: { name: text(256, REQUIRED), version: text(256, REQUIRED) },
        },
        method: text(256),
      },
    },
    input: {
      value: 'fixed',
      members: {
        ref: { value: 'fixed', keep: ONE_OF_INPUT },
        digest: text(256, ONE_OF_INPUT),
        features: { value: 'fixed', keep: ONE_OF_INPUT, each: { value: 'scalar', max: 4096 } },
      },
    },
    subject: {
      ...locked('erasure finds a subject by subject.id'),
      members: { id: locked('erasure finds a subject by subject.id') },
    },
    cohort: stringMap(1024),
    context: {
      value: 'fixed',
      members: Object.fromEntries(
        ['actor', 'channel', 'request_id', 'trace_id', 'environment', 'domain'].map((k) => [
          k,
          text(256),
        ]),
      ),
    },
    labels: stringMap(1024),
    action: {
      value: 'fixed',
      locked: 'an action is required',
      members: {
        kind: locked('action.kind is an indexed enum'),
        name: locked('action.name is required'),
        actor: {
          value: 'fixed',
          locked: 'action.actor is required',
          members: { type: locked('action.actor.type is an enum'), id: text(256, REQUIRED) },
        },
        details: { value: 'fixed', each: FREE },
      },
    },
    outcome: {
      value: 'fixed',
      locked: 'an outcome is required',
      members: {
        status: locked('outcome.status is an indexed enum'),
        label: { value: 'scalar', max: 4096 },
        value: number,
        source: text(256),
        action_id: locked('outcome.action_id links the outcome to its action'),
      },
    },
    annotation: {
      value: 'fixed',
      locked: 'an annotation is required',
      members: {
        text: { value: 'text', max: 10_000, textOnly: true, keep: REQUIRED },
        tags: { value: 'fixed', array: true, each: text(256, ITEM) },
        author: text(256),
      },
    },
  },
};

export type SlotAction = 'drop' | 'pseudonymize' | 'truncate' | 'date' | 'step' | 'text';

const STRING_FITS: readonly SlotValue[] = ['text', 'scalar', 'json'];
const NUMBER_FITS: readonly SlotValue[] = ['number', 'scalar', 'json'];

/** Why `action` may not change the field of `slot`, or undefined when it may. */
export function refusal(slot: Slot, action: SlotAction): string | undefined {
  if (slot.locked !== undefined) return slot.locked;
  if (slot.textOnly) return action === 'text' ? undefined : 'only text.fields may change it';
  if (action === 'drop') return slot.keep && `it cannot be dropped: ${slot.keep}`;
  const fits = action === 'step' ? NUMBER_FITS : STRING_FITS;
  if (fits.includes(slot.value)) return undefined;
  if (slot.value === 'number')
    return 'it holds a number (only drop and generalize with step apply)';
  if (slot.value === 'text') return 'it holds text (generalize with step needs a number)';
  return 'no replacement value keeps it valid (an id, URI, enum, object or array)';
}

/** The slot a concrete or `*` segment leads to from `slot`, or undefined when none does. */
export function childSlots(slot: Slot, segment: string): readonly (readonly [string, Slot])[] {
  if (slot.members) {
    if (segment === '*') return Object.entries(slot.members);
    const member = Object.hasOwn(slot.members, segment) ? slot.members[segment] : undefined;
    return member ? [[segment, member]] : [];
  }
  if (slot.each && (segment === '*' || !slot.array)) return [[segment, slot.each]];
  return [];
}
