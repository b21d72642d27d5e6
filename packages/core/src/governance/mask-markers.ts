import { z } from 'zod';
import { defineMember } from '../_copy-json.js';
import { formatPath, type ValidationIssue } from '../contract/validation-issue.js';
import { SENSITIVE_KINDS, type SensitiveKind } from './detect-sensitive-text.js';

/** Free text in which the detector found something, with the kinds it found. */
export interface SensitiveTextFlag {
  readonly path: string;
  readonly kinds: readonly SensitiveKind[];
}

/**
 * What masking did to a stored event, as RFC 6901 JSON pointers into it, each list sorted and
 * absent when empty: `erased` fields were dropped, `masked` ones replaced (pseudonymised,
 * truncated, generalised or text-masked), `flagged` free texts hold what looks sensitive.
 */
export interface MaskMarkers {
  readonly erased?: readonly string[];
  readonly masked?: readonly string[];
  readonly flagged?: readonly SensitiveTextFlag[];
}

/** The top-level members masking adds; producers cannot send them (unknown fields). */
export const MASK_MARKER_NAMES = ['erased', 'masked', 'flagged'] as const;

const Pointer = z.string().regex(/^(?:\/(?:[^~/]|~[01])*)+$/, 'must be a JSON pointer');
const MarkerSchema = z.strictObject({
  erased: z.array(Pointer).min(1).optional(),
  masked: z.array(Pointer).min(1).optional(),
  flagged: z
    .array(z.strictObject({ path: Pointer, kinds: z.array(z.enum(SENSITIVE_KINDS)).min(1) }))
    .min(1)
    .optional(),
});

export type MarkerSplit =
  | { readonly ok: true; readonly event: Record<string, unknown>; readonly markers: MaskMarkers }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Separates a stored event's masking markers from the event itself (which the contract then
 * checks as submitted), checking the markers' form.
 */
export function splitMaskMarkers(stored: object): MarkerSplit {
  const event: Record<string, unknown> = {};
  const found: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored)) {
    // As data: a stored `__proto__` member must not become a prototype.
    defineMember(
      (MASK_MARKER_NAMES as readonly string[]).includes(name) ? found : event,
      name,
      value,
    );
  }
  const parsed = MarkerSchema.safeParse(found);
  if (parsed.success) return { ok: true, event, markers: parsed.data as MaskMarkers };
  const issues = parsed.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  return { ok: false, issues };
}
