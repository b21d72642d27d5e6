import { OPERATOR_KEY_ID, roleAllows, type PostedBy } from '@declog/core';
import { DeclogError, type ErrorDetail } from '../../errors.js';
import type { Principal } from './principal.js';

/** A request's events with the authorship rule applied, and who posted each annotation. */
export interface AuthoredEvents {
  /** The events, a reviewer's annotations with their `author` set to its principal. */
  readonly values: readonly unknown[];
  /** The `posted_by` of each annotation, by index; undefined for any other event. */
  readonly postedBy: readonly (PostedBy | undefined)[];
}

/**
 * Who may post what, and in whose name. A reviewer posts annotations, each in its own
 * principal's name (its `author` is set to it), and its verdicts on a decision: an action of
 * kind `override` or `other` (an uphold) whose actor is the reviewer, a human (see
 * reviewerVerdict). Any key's annotation that names an `author`
 * must name the key's principal, unless the key is a producer (a service) and its tenant lets
 * producers relay other authors (`relay`, read only when needed): the annotation is then
 * marked `relayed`. The operator of a database file (`poster` null) may name anyone, marked
 * relayed too. Every annotation records the key that posted it.
 *
 * @throws DeclogError `forbidden`, naming every event refused, when any is.
 */
export async function annotationAuthors(
  events: readonly unknown[],
  poster: Principal | null,
  relay: () => Promise<boolean>,
): Promise<AuthoredEvents> {
  const refused: ErrorDetail[] = [];
  const postedBy: (PostedBy | undefined)[] = [];
  const values: unknown[] = [];
  const reviewer = poster !== null && !roleAllows(poster.role, 'write:events');
  let relayAllowed: boolean | undefined;
  for (const [index, value] of events.entries()) {
    const event = value as { type?: unknown; annotation?: unknown };
    const annotation =
      typeof value === 'object' && value !== null && event.type === 'annotation'
        ? event.annotation
        : undefined;
    if (annotation === undefined) {
      if (reviewer && poster !== null) {
        const verdict = reviewerVerdict(value, poster.name);
        if (verdict.ok) {
          postedBy.push(undefined);
          values.push(verdict.event);
          continue;
        }
        refused.push({ index, ...verdict.refusal });
      }
      postedBy.push(undefined);
      values.push(value);
      continue;
    }
    const author = isRecord(annotation) ? annotation['author'] : undefined;
    if (poster === null) {
      postedBy.push({
        key_id: OPERATOR_KEY_ID,
        ...(typeof author === 'string' ? { relayed: true as const } : {}),
      });
      values.push(value);
      continue;
    }
    const own = { key_id: poster.keyId };
    // Not a string: the contract names what is wrong with it.
    if (typeof author !== 'string' || author === poster.name) {
      postedBy.push(own);
      values.push(
        reviewer && author === undefined && isRecord(annotation)
          ? { ...event, annotation: { ...annotation, author: poster.name } }
          : value,
      );
      continue;
    }
    if (poster.role === 'producer') relayAllowed ??= await relay();
    if (poster.role === 'producer' && relayAllowed) {
      postedBy.push({ ...own, relayed: true });
    } else {
      refused.push({
        index,
        path: 'annotation.author',
        message:
          `must be this key's principal ${JSON.stringify(poster.name)} or absent` +
          (poster.role === 'producer'
            ? '; the tenant does not let producer keys relay other authors (its annotation policy)'
            : ''),
      });
      postedBy.push(undefined);
    }
    values.push(value);
  }
  if (refused.length > 0) {
    throw new DeclogError(
      'forbidden',
      reviewer
        ? 'a reviewer may only add annotations and verdicts under its own name'
        : "an annotation's author must be the posting key's principal",
      refused,
    );
  }
  return { values, postedBy };
}

/** The action kinds a reviewer records as its verdict: an override, or `other` (an uphold). */
const VERDICT_KINDS: readonly unknown[] = ['override', 'other'];

/**
 * A reviewer's action, accepted when it is a verdict by the reviewer itself: kind `override` or
 * `other`, and an actor that is the human the key names (set to it when absent). Anything else
 * is refused, naming the member at fault; the contract checks the rest of the event.
 */
function reviewerVerdict(
  value: unknown,
  name: string,
):
  | { readonly ok: true; readonly event: unknown }
  | { readonly ok: false; readonly refusal: Omit<ErrorDetail, 'index'> } {
  const event = isRecord(value) ? value : {};
  if (event['type'] !== 'action') {
    return {
      ok: false,
      refusal: {
        path: 'type',
        message:
          'a reviewer key cannot post decisions or outcomes (producer or admin can); it may post ' +
          'annotations, and override or uphold actions by itself',
      },
    };
  }
  const action = isRecord(event['action']) ? event['action'] : null;
  // Not an object: the contract names what is wrong with it.
  if (action === null) return { ok: true, event: value };
  if (!VERDICT_KINDS.includes(action['kind'])) {
    return {
      ok: false,
      refusal: {
        path: 'action.kind',
        message:
          'a reviewer records a verdict only: "override", or "other" for an uphold (producer or admin can post other actions)',
      },
    };
  }
  const actor = action['actor'];
  if (actor === undefined) {
    return {
      ok: true,
      event: { ...event, action: { ...action, actor: { type: 'human', id: name } } },
    };
  }
  if (!isRecord(actor) || actor['type'] !== 'human' || actor['id'] !== name) {
    return {
      ok: false,
      refusal: {
        path: 'action.actor',
        message: `must be the reviewer itself, {"type": "human", "id": ${JSON.stringify(name)}}, or absent`,
      },
    };
  }
  return { ok: true, event: value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
