import { Buffer } from 'node:buffer';
import { canonicalJson, canonicalMembers } from '../canonical-json.js';
import type { Event } from '../contract/event-schema.js';
import { sha256OfText } from '../ledger/_crypto.js';
import { COMPACT_MARK, compactRecordedAt, compactSeq } from '../store/compact-event-text.js';
import type { PreparedEvent } from './prepared-event.js';

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

/** `sealEvent` for a prepared event, without encoding it again: its leaf text at `seq`. */
export function leafText(event: PreparedEvent, seq: number, recordedAt: string): string {
  const at = JSON.stringify(recordedAt);
  return `{${event.head},"recorded_at":${at}${event.middle},"seq":${seq}${event.tail}}`;
}

/** {@link leafText} in the form a store keeps (compactEventText of it). */
export function storedLeafText(event: PreparedEvent, seq: number, recordedAt: string): string {
  return (
    `${COMPACT_MARK}{${event.storedHead}${compactRecordedAt(recordedAt)}` +
    `${event.storedMiddle}${compactSeq(seq)}${event.storedTail}`
  );
}

/**
 * `sealEvent` given an event's canonical members: merges the `recorded_at` and `seq` members
 * into them. Top-level names are plain identifiers, whose `"name":` texts sort as the names do.
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

/** What a resend of an event must repeat: its canonical members, comma-separated. */
export function contentText(event: PreparedEvent): string {
  return event.head + event.middle + event.tail;
}

/**
 * Whether a stored event holds the same content as a resubmitted one: a duplicate, not a
 * conflict. A decision of an erased subject is sealed under a throwaway key, to another
 * commitment each time: it is the same when all but its commitment is.
 */
export function sameContent(storedJson: string, event: PreparedEvent): boolean {
  const stored = storedContentText(storedJson);
  if (stored === contentText(event)) return true;
  if (event.erasedSubject !== true) return false;
  const resent = JSON.parse(`{${contentText(event)}}`) as Record<string, unknown>;
  return withoutCommitment(JSON.parse(`{${stored}}`)) === withoutCommitment(resent);
}

/** An event's canonical JSON with its personal commitment blanked out. */
function withoutCommitment(event: Record<string, unknown>): string {
  const personal = event['personal'];
  if (personal === null || typeof personal !== 'object') return canonicalJson(event);
  return canonicalJson({ ...event, personal: { ...personal, commitment: '' } });
}

/**
 * SHA-256 of an event's content: what a pruned entry keeps so that a resend of its event is
 * still told apart from a different event of the same id. A decision with sealed personal
 * values is digested with its commitment blanked out: once pruned, its personal values are
 * gone, and a resend (sealed under a throwaway key if its subject was erased since) is told by
 * the rest of its content, as a resend of an erased subject's stored decision is (sameContent).
 */
export function contentDigest(event: PreparedEvent): Uint8Array {
  return digestOfContent(contentText(event));
}

/** contentDigest of a stored event's content (without `seq` and `recorded_at`). */
export function storedContentDigest(storedJson: string): Uint8Array {
  return digestOfContent(storedContentText(storedJson));
}

/**
 * Whether a resent event has the content a pruned entry's digest was made of: its
 * contentDigest, or (a mark made before sealed decisions were digested without their
 * commitment) the digest of its whole content.
 */
export function samePrunedContent(digest: Uint8Array, event: PreparedEvent): boolean {
  const same = (other: Uint8Array) => Buffer.from(other).equals(Buffer.from(digest));
  return same(contentDigest(event)) || same(sha256OfText(contentText(event)));
}

/** The digest of canonical members, a top-level `personal` member's commitment blanked. */
function digestOfContent(members: string): Uint8Array {
  // Only sealing adds `personal`, and only to a decision: most events are hashed as they are.
  if (!members.includes('"personal":{')) return sha256OfText(members);
  const event = JSON.parse(`{${members}}`) as Record<string, unknown>;
  const personal = event['personal'];
  if (personal === null || typeof personal !== 'object') return sha256OfText(members);
  return sha256OfText(withoutCommitment(event));
}

function storedContentText(storedJson: string): string {
  const { seq: _seq, recorded_at: _recordedAt, ...content } = JSON.parse(storedJson) as StoredEvent;
  return canonicalMembers(content).join(',');
}
