import { canonicalJson, canonicalMembers } from '../canonical-json.js';
import type { Event } from '../contract/event-schema.js';
import { sha256OfText } from '../ledger/_crypto.js';

/** An event as stored: the submitted event with its log position and the time it was recorded. */
export type StoredEvent = Event & {
  readonly id: string;
  readonly seq: number;
  readonly recorded_at: string;
};

/**
 * The canonical JSON text of the stored event. These bytes are the event's ledger leaf and are
 * never re-encoded afterwards: reads return them as they are.
 */
export function sealEvent(event: Event & { id: string }, seq: number, recordedAt: string): string {
  return canonicalJson({ ...event, seq, recorded_at: recordedAt });
}

/**
 * `sealEvent` for a prepared event, without encoding it again: merges the `recorded_at` and
 * `seq` members into its canonical members. Top-level names are plain identifiers, whose
 * `"name":` texts sort as the names do.
 */
export function sealMembers(members: readonly string[], seq: number, recordedAt: string): string {
  const added = [`"recorded_at":${JSON.stringify(recordedAt)}`, `"seq":${seq}`];
  const merged: string[] = [];
  let next = 0;
  for (const member of members) {
    while (next < added.length && (added[next] as string) < member)
      merged.push(added[next++] as string);
    merged.push(member);
  }
  while (next < added.length) merged.push(added[next++] as string);
  return `{${merged.join(',')}}`;
}

/**
 * Whether a stored event holds the same content as a resubmitted one, given as its canonical
 * members: a duplicate, not a conflict.
 */
export function sameContent(storedJson: string, members: readonly string[]): boolean {
  return storedContentMembers(storedJson).join(',') === members.join(',');
}

/**
 * SHA-256 of an event's content, given as its canonical members: what a pruned entry keeps so
 * that a resend of its event is still told apart from a different event of the same id.
 */
export function contentDigest(members: readonly string[]): Uint8Array {
  return sha256OfText(members.join(','));
}

/** contentDigest of a stored event's content (without `seq` and `recorded_at`). */
export function storedContentDigest(storedJson: string): Uint8Array {
  return contentDigest(storedContentMembers(storedJson));
}

function storedContentMembers(storedJson: string): string[] {
  const { seq: _seq, recorded_at: _recordedAt, ...content } = JSON.parse(storedJson) as StoredEvent;
  return canonicalMembers(content);
}
