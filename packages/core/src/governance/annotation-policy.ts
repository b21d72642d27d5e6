import { z } from 'zod';
import { formatPath, type ValidationIssue } from '../contract/validation-issue.js';

/**
 * A tenant's annotation policy. `relay_authors`: whether its producer keys (services) may post
 * annotations in the name of another author, a person who wrote them elsewhere (a review tool
 * relaying its users' notes, say); each such annotation is then stored with `posted_by.relayed`.
 * Without it, every key posts annotations in its own principal's name only.
 */
export interface AnnotationPolicy {
  readonly relay_authors: boolean;
}

const Policy = z.strictObject({ relay_authors: z.boolean() });

export type AnnotationPolicyParse =
  | { readonly ok: true; readonly policy: AnnotationPolicy }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Checks an annotation policy and names every bad field.
 *
 * @example parseAnnotationPolicy({ relay_authors: true }) // { ok: true, policy: { relay_authors: true } }
 */
export function parseAnnotationPolicy(value: unknown): AnnotationPolicyParse {
  const parsed = Policy.safeParse(value);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const path = formatPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        return { path, message: `unknown field ${issue.keys.join(', ')}` };
      }
      return { path, message: issue.message };
    }),
  };
}
