import { z } from 'zod';
import { formatPath, type ValidationIssue } from '../contract/validation-issue.js';

/**
 * Who posted an annotation, as the log records it in the annotation's leaf: the id of the API key
 * that sent it (`local` for the operator of a database file), and `relayed` when the annotation's
 * `author` is not that key's principal but a person the key relays (see docs/governance.md). The
 * server sets it; producers cannot send it (an unknown field of the contract).
 */
export interface PostedBy {
  readonly key_id: string;
  readonly relayed?: true;
}

/** The top-level member the server adds to every annotation it stores. */
export const POSTED_BY = 'posted_by';

/** The key id recorded for annotations stored by the operator of a database file. */
export const OPERATOR_KEY_ID = 'local';

const PostedBySchema = z.strictObject({
  key_id: z.string().min(1).max(128),
  relayed: z.literal(true).optional(),
});

export type PostedBySplit =
  | {
      readonly ok: true;
      readonly event: Record<string, unknown>;
      readonly postedBy: PostedBy | undefined;
    }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Separates a stored event's `posted_by` from the event itself (which the contract then checks
 * as submitted), checking its form: only an annotation may have one.
 */
export function splitPostedBy(stored: Record<string, unknown>): PostedBySplit {
  if (!Object.hasOwn(stored, POSTED_BY)) return { ok: true, event: stored, postedBy: undefined };
  const { [POSTED_BY]: value, ...event } = stored;
  if (event['type'] !== 'annotation') {
    return { ok: false, issues: [{ path: POSTED_BY, message: 'only an annotation has one' }] };
  }
  const parsed = PostedBySchema.safeParse(value);
  if (parsed.success) return { ok: true, event, postedBy: parsed.data as PostedBy };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: formatPath([POSTED_BY, ...issue.path]),
      message: issue.message,
    })),
  };
}
