import { canonicalMembers } from '../canonical-json.js';
import { timestampMillis } from '../contract/timestamp.js';
import { fromMembers } from '../event/from-members.js';
import type { PreparedEvent } from '../event/prepared-event.js';

/** Who made a request: the key, its principal's name and its role. */
export interface AccessActor {
  readonly key_id: string;
  readonly name: string;
  readonly role: string;
}

/**
 * One answered request, as the access trail keeps it: who, when, what (the route and the
 * names and filters it was given), how many records it returned or changed, the answer's
 * status, and the purpose the caller stated.
 */
export interface AccessEntry {
  readonly occurred_at: string;
  readonly actor: AccessActor;
  /** What was done, such as `decisions.read` or `keys.create`. */
  readonly action: string;
  readonly method: string;
  /** The route template, such as `/v1/decisions/:id`. */
  readonly route: string;
  /** The route's parameters, such as the decision id read. */
  readonly target?: Readonly<Record<string, string>>;
  /** The query parameters, such as the filters of a search. */
  readonly filters?: Readonly<Record<string, string>>;
  /** Records returned (reads) or affected (changes). */
  readonly records: number;
  readonly status: number;
  /** From the request's `X-Declog-Purpose` header. */
  readonly purpose?: string;
  /** What a change did, such as the SHA-256 of a policy set. */
  readonly details?: Readonly<Record<string, string>>;
  /**
   * The request's id, as answered in `X-Request-Id` and logged: the client's, or the
   * server's own. Absent from entries written before it was recorded.
   */
  readonly request_id?: string;
}

/**
 * An access entry ready to append to an access trail: the stored event is the entry with
 * `"type": "access"` and its id, sealed like any event (so the same verifiers check it).
 */
export function prepareAccessEntry(entry: AccessEntry, id: string): PreparedEvent {
  const members = canonicalMembers({ ...entry, id, type: 'access' });
  return fromMembers(
    {
      id,
      type: 'access',
      decisionId: null,
      kind: entry.action,
      occurredMs: timestampMillis(entry.occurred_at),
    },
    members,
    null,
  );
}
