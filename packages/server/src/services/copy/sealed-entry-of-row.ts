import {
  prepareEvent,
  leafText,
  splitMaskMarkers,
  splitPostedBy,
  validateEvent,
  type PreparedEvent,
  type SealedEntry,
  type StoredRow,
} from '@declog/core';

export type RowDerivation =
  | { readonly ok: true; readonly entry: SealedEntry }
  | { readonly ok: false; readonly reason: string };

/**
 * Re-derives a stored row's prepared event from its bytes alone (the stored event without
 * `seq`, `recorded_at`, its masking markers and an annotation's `posted_by`, checked against
 * the contract and prepared with them as at ingest), and checks
 * that sealing it again gives exactly the stored bytes. A row that does not round-trip was not
 * written by declog as it is: copying it would carry the damage into the target.
 */
export function sealedEntryOfRow(row: StoredRow): RowDerivation {
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
  const split = splitMaskMarkers(submitted);
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
    const { postedBy } = posted;
    event = prepareEvent(
      { ...checked.event, ...split.markers, ...(postedBy ? { posted_by: postedBy } : {}) },
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
  return { ok: true, entry: { event, seq: row.seq, recordedAt, json: row.json } };
}
