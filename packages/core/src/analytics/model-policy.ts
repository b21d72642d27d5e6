import { z } from 'zod';
import type { ValidationIssue } from '../contract/validation-issue.js';
import { formatPath } from '../contract/validation-issue.js';

/**
 * A tenant's model naming convention and what ingest does with a decision by a model version
 * nobody declared: `flag` it (the quality analysis lists it; the default) or `refuse` it.
 */
export interface ModelPolicy {
  readonly name_pattern?: string;
  readonly version_pattern?: string;
  readonly undeclared?: 'flag' | 'refuse';
}

// A quantified group that holds a quantifier or an alternation (`(a+)+`, `(a|aa){2,}`) can
// take exponential time on a near miss: refused, since every ingest request runs the patterns.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}|](?:[^()\\]|\\.)*\)\s*[+*{]/;

const Pattern = z
  .string()
  .min(1)
  .max(200)
  .refine((text) => compiles(text), { message: 'is not a valid regular expression' })
  .refine((text) => !NESTED_QUANTIFIER.test(text), {
    message:
      'quantifies a group that holds a quantifier or an alternation, which can take exponential time',
  });

const Policy = z.strictObject({
  name_pattern: Pattern.optional(),
  version_pattern: Pattern.optional(),
  undeclared: z.enum(['flag', 'refuse']).optional(),
});

export type ModelPolicyParse =
  | { readonly ok: true; readonly policy: ModelPolicy }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Checks a model policy and names every bad field.
 *
 * @example parseModelPolicy({ undeclared: 'drop' }).issues
 *   // [{ path: 'undeclared', message: 'must be one of flag, refuse' }]
 */
export function parseModelPolicy(value: unknown): ModelPolicyParse {
  const parsed = Policy.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, policy: parsed.data as ModelPolicy };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const path = formatPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        return { path, message: `unknown field ${issue.keys.join(', ')}` };
      }
      if (issue.code === 'invalid_value' && issue.values.length > 0) {
        return { path, message: `must be one of ${issue.values.map(String).join(', ')}` };
      }
      return { path, message: issue.message.replace(/^Invalid input: /, '') };
    }),
  };
}

/** Whether a model name or version matches a policy's pattern (the whole text must match). */
export function matchesPattern(pattern: string | undefined, text: string): boolean {
  return pattern === undefined || new RegExp(`^(?:${pattern})$`, 'u').test(text);
}

function compiles(text: string): boolean {
  try {
    new RegExp(text, 'u');
    return true;
  } catch {
    return false;
  }
}
