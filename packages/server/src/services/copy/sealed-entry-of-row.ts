import {
  prepareAccessEntry,
  prepareEvent,
  prepareSecurityEntry,
  leafText,
  splitMaskMarkers,
  splitPostedBy,
  validateEvent,
  type PreparedEvent,
  type AccessEntry,
  type SealedEntry,
  type SecurityEntry,
  type StoredPersonal,
  type StoredRow,
} from '@declog/core';

export type RowDerivation =
  | { readonly ok: true; readonly entry: SealedEntry }
  | { readonly ok: false; readonly reason: string };

/**
 * Re-derives a stored row's prepared event from its bytes (the stored event without `seq`,
 * `recorded_at`, its masking markers, an annotation's `posted_by` and a sealed decision's
 * `personal` commitment, checked against the contract and prepared with them as at ingest) and
 * the sealed record the store keeps beside it, and checks that sealing it again gives exactly
 * the stored bytes. A row that does not round-trip was not written by declog as it is: copying
 * it would carry the damage into the target. A record shredded on the source (its subject
 * erased) stays shredded.
 */
export function sealedEntryOfRow(row: StoredRow, personal?: StoredPersonal): RowDerivation {
  let stored: unknown;
  try {
    stored = JSON.parse(row.json);
  } catch {
    return { ok: false, reason: 'the stored event is not valid JSON' };
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    return { ok: false, reason: 'the stored event is not a JSON object' };
  }
  const { seq, recorded_at: recordedAt, ...submitted } = stored as Record<string, unknown>;
  if (seq !== row.seq) {
    return { ok: false, reason: `the event there says it is seq ${JSON.stringify(seq)}` };
  }
  if (typeof recordedAt !== 'string') {
    return { ok: false, reason: 'the stored event has no recorded_at text' };
  }
  // Masking markers are the log's own members, added at ingest; the rest is what the
  // contract checked then.
  // An access or security trail's entry: the trail's own record, not a producer's event.
  if (row.type === 'access' || row.type === 'security')
    return trailEntry(row, submitted, recordedAt);
  // A sealed decision's commitment to its personal values, which the leaf holds in their place.
  const { personal: commitment, ...unsealed } = submitted;
  if (commitment !== undefined && (submitted['type'] !== 'decision' || !isObject(commitment))) {
    return { ok: false, reason: 'the stored event holds a personal member out of place' };
  }
  if (personal !== undefined && commitment === undefined) {
    return { ok: false, reason: 'a sealed record is kept for an event that commits to none' };
  }
  const split = splitMaskMarkers(unsealed);
  if (!split.ok) {
    const issues = split.issues.map((issue) => `${issue.path}: ${issue.message}`);
    return { ok: false, reason: `the stored masking markers are malformed: ${issues.join('; ')}` };
  }
  // Who posted an annotation is the log's own member too.
  const posted = splitPostedBy(split.event);
  if (!posted.ok) {
    const issues = posted.issues.map((issue) => `${issue.path}: ${issue.message}`);
    return { ok: false, reason: `the stored posted_by is malformed: ${issues.join('; ')}` };
  }
  // Without the depth limit: events stored before it existed may nest deeper, and are copied.
  const checked = validateEvent(posted.event, { depthLimit: false });
  if (!checked.ok) {
    const issues = checked.issues.map((issue) => `${issue.path || '(event)'}: ${issue.message}`);
    return {
      ok: false,
      reason: `the stored event breaks the event contract: ${issues.join('; ')}`,
    };
  }
  if (checked.event.id === undefined) return { ok: false, reason: 'the stored event has no id' };
  let event: PreparedEvent;
  try {
    const members = commitment === undefined ? {} : { personal: commitment };
    const { postedBy } = posted;
    event = prepareEvent(
      {
        ...checked.event,
        ...split.markers,
        ...members,
        ...(postedBy ? { posted_by: postedBy } : {}),
      },
      () => '',
    );
  } catch (error) {
    return { ok: false, reason: `the stored event cannot be encoded: ${(error as Error).message}` };
  }
  if (event.type !== row.type) {
    return {
      ok: false,
      reason: `the stored type column says ${row.type} but the event is ${event.type}`,
    };
  }
  if (leafText(event, row.seq, recordedAt) !== row.json) {
    return { ok: false, reason: 'the stored bytes are not the canonical JSON of the event' };
  }
  const subject = event.decision?.subject ?? null;
  if (personal !== undefined && personal.subject !== subject) {
    return {
      ok: false,
      reason: `its sealed record is kept under subject ${personal.subject}, not the event's`,
    };
  }
  const entry = { event, seq: row.seq, recordedAt, json: row.json };
  if (personal === undefined) return { ok: true, entry };
  if (personal.sealed !== null) {
    return {
      ok: true,
      entry: {
        ...entry,
        event: { ...event, personal: { subject: personal.subject, sealed: personal.sealed } },
      },
    };
  }
  if (personal.shreddedAt === null || personal.shreddedBy === null) {
    return { ok: false, reason: 'its sealed record is gone without a record of its shredding' };
  }
  return {
    ok: true,
    entry: {
      ...entry,
      shredded: { subject: personal.subject, at: personal.shreddedAt, by: personal.shreddedBy },
    },
  };
}

const isObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An access or security trail entry re-derived from its stored members. */
function trailEntry(
  row: StoredRow,
  submitted: Record<string, unknown>,
  recordedAt: string,
): RowDerivation {
  const { id, type, ...entry } = submitted;
  if (typeof id !== 'string' || type !== row.type || typeof entry['occurred_at'] !== 'string') {
    return { ok: false, reason: `the stored ${row.type} entry lacks its id, type or occurred_at` };
  }
  let event: PreparedEvent;
  try {
    event =
      row.type === 'access'
        ? prepareAccessEntry(entry as unknown as AccessEntry, id)
        : prepareSecurityEntry(entry as unknown as SecurityEntry, id);
  } catch (error) {
    return { ok: false, reason: `the stored entry cannot be encoded: ${(error as Error).message}` };
  }
  if (leafText(event, row.seq, recordedAt) !== row.json) {
    return { ok: false, reason: 'the stored bytes are not the canonical JSON of the entry' };
  }
  return { ok: true, entry: { event, seq: row.seq, recordedAt, json: row.json } };
}
