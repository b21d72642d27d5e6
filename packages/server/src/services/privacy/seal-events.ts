import { createHmac, randomBytes } from 'node:crypto';
import {
  SEALABLE_TEXT,
  personalPointers,
  prepareChangedDecision,
  sealPersonalData,
  type Event,
  type IdentifiedEvent,
  type MaskingPolicy,
  type PreparedEvent,
  type RandomBytes,
  type SealableText,
} from '@declog/core';
import type { KeyOffer, SubjectKeyState, SubjectKeys } from './subject-keys.js';

/** What sealing a batch needs beyond the events: which free text, and the subjects' keys. */
export interface Sealing {
  /** Free-text fields the tenant's masking policy seals too. */
  readonly sealText: readonly SealableText[];
  /** The keys of these subjects, made for those that have none. */
  keysFor(subjects: readonly string[]): Promise<ReadonlyMap<string, SubjectKeyState>>;
  /** Keys offered ahead, before the batch is checked (see {@link KeyOffer}). */
  offerKeys?(subjects: readonly string[]): Promise<KeyOffer>;
}

/** Sealing for one tenant's batches, with its keys from `keys`. */
export function tenantSealing(
  keys: SubjectKeys,
  tenant: string,
  sealText: readonly SealableText[] = [],
): Sealing {
  return {
    sealText,
    keysFor: (subjects) => keys.keysFor(tenant, subjects),
    offerKeys: (subjects) => keys.offerKeys(tenant, subjects),
  };
}

/**
 * Seals the personal values (`input.features`, `cohort`, and the free-text fields the
 * tenant's masking policy lists in `seal`) of each decision that names a subject, under the
 * subject's key, before the batch is appended: the leaf then holds a
 * salted commitment, and the values travel beside it as `personal`. A subject erased already
 * has its values dropped on arrival (sealed under a key that is thrown away).
 *
 * Sealing is deterministic for one key and event (its salt and nonce derive from both), so a
 * resent event seals to the same bytes and is still a duplicate, not a conflict.
 */
export async function sealPersonalEvents(
  events: readonly PreparedEvent[],
  sealing: Sealing,
  sources?: readonly IdentifiedEvent[],
): Promise<readonly PreparedEvent[]> {
  const subjects = subjectsToSeal(events, sealing.sealText);
  if (subjects.length === 0) return events;
  return sealWithKeys(events, await sealing.keysFor(subjects), sealing.sealText, sources);
}

/** The subjects whose keys sealing these events needs (none: nothing to seal). */
export function subjectsToSeal(
  events: readonly PreparedEvent[],
  sealText: readonly SealableText[],
): readonly string[] {
  const subjects = new Set<string>();
  for (const prepared of events) {
    const subject = subjectOf(prepared, sealText);
    if (subject !== null) subjects.add(subject);
  }
  return [...subjects];
}

/**
 * The events with their personal values sealed under the keys given (`states` holds every
 * subject `subjectsToSeal` names). `sources`, when given, holds the event each was prepared
 * from (with its id), which spares parsing its members again. Pure computation, so that it
 * can run on any thread.
 */
export function sealWithKeys(
  events: readonly PreparedEvent[],
  states: ReadonlyMap<string, SubjectKeyState>,
  sealText: readonly SealableText[],
  sources?: readonly IdentifiedEvent[],
): readonly PreparedEvent[] {
  if (sources !== undefined && sources.length !== events.length) {
    throw new RangeError(`${sources.length} sources for ${events.length} events`);
  }
  const personal = personalPointers(
    'decision',
    sealText.map((path) => SEALABLE_TEXT[path]),
  );
  if (!personal.ok) throw new Error(personal.reason);
  const pointers = personal.pointers;
  const sealed: PreparedEvent[] = [];
  for (const [index, prepared] of events.entries()) {
    const subject = subjectOf(prepared, sealText);
    const state = subject === null ? undefined : states.get(subject);
    if (subject === null || !state) {
      sealed.push(prepared);
      continue;
    }
    const text = `{${prepared.members.join(',')}}`;
    const event = sources?.[index] ?? (JSON.parse(text) as IdentifiedEvent);
    const subjectKey = state.ok ? state.key : new Uint8Array(randomBytes(32));
    const result = sealPersonalData(event, {
      pointers,
      subjectKey,
      random: derivedRandom(subjectKey, text),
    });
    if (result.sealed === null) {
      sealed.push(prepared);
      continue;
    }
    const committed = prepareChangedDecision(
      prepared,
      result.event as Extract<Event, { type: 'decision' }> & { readonly id: string },
      changedMembers(result.event.personal?.fields ?? []),
    );
    sealed.push(
      state.ok
        ? { ...committed, personal: { subject, sealed: JSON.stringify(result.sealed) } }
        : committed,
    );
  }
  return sealed;
}

/**
 * The subjects a batch will most likely need keys for, read from its parsed body before it
 * is checked: those of decisions that hold features or a cohort (any decision, with free
 * text to seal). None when the tenant masks: masking may change what is sealed and under
 * which subject. Only a hint; sealing asks for any key it still lacks.
 */
export function likelySubjects(
  events: readonly unknown[],
  sealText: readonly SealableText[],
  masking: MaskingPolicy | undefined,
): readonly string[] {
  if (maskingMayChangeSubjects(masking)) return [];
  const subjects = new Set<string>();
  for (const event of events) {
    if (!isRecord(event) || event['type'] !== 'decision') continue;
    const subject = isRecord(event['subject']) ? event['subject']['id'] : undefined;
    if (typeof subject !== 'string') continue;
    const input = event['input'];
    const holds =
      sealText.length > 0 ||
      event['cohort'] !== undefined ||
      (isRecord(input) && input['features'] !== undefined);
    if (holds) subjects.add(subject);
  }
  return [...subjects];
}

/** Whether masking may change what is sealed, or under which subject: then nothing is offered. */
export function maskingMayChangeSubjects(masking: MaskingPolicy | undefined): boolean {
  return masking !== undefined && (masking.rules.length > 0 || masking.text !== undefined);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The subject of a decision that has something to seal, else null. */
function subjectOf(prepared: PreparedEvent, sealText: readonly SealableText[]): string | null {
  const subject = prepared.decision?.subject;
  // With free text to seal, every decision of a subject may hold some.
  const holds = sealText.length > 0 || holdsPersonal(prepared.members);
  return subject != null && holds ? subject : null;
}

/** The top-level members sealing changed: those holding a sealed field, and `personal`. */
function changedMembers(fields: readonly string[]): ReadonlySet<string> {
  // A field is a JSON Pointer whose first token names a member of the contract (no escapes).
  return new Set(['personal', ...fields.map((field) => field.split('/')[1] ?? '')]);
}

/** Whether a decision's canonical members hold a top-level `cohort` or an `input.features`. */
function holdsPersonal(members: readonly string[]): boolean {
  return members.some(
    (member) =>
      member.startsWith('"cohort":') ||
      (member.startsWith('"input":') && member.includes('"features":')),
  );
}

/**
 * Bytes drawn from HMAC-SHA256(key, counter ‖ event): the salt and nonce of one event's
 * sealing, secret without the key and unique per event content, so a nonce never repeats
 * for two different plaintexts under one key.
 */
function derivedRandom(key: Uint8Array, eventText: string): RandomBytes {
  let counter = 0;
  let block: Uint8Array = new Uint8Array(0);
  return (size) => {
    const out = new Uint8Array(size);
    for (let filled = 0; filled < size;) {
      if (block.length === 0) {
        // The text goes in as a string: encoding it into a Buffer first costs more than the MAC.
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
