import { z } from 'zod';
import { formatPath, type ValidationIssue } from '../contract/validation-issue.js';
import { durationMs } from './duration-ms.js';

const Text = z.string().min(1).max(2000);
const Code = z.string().min(1).max(128);

const Declaration = z.strictObject({
  owner: Text,
  purpose: Text,
  provenance: z
    .strictObject({
      training_data: Text.optional(),
      code: Text.optional(),
      registry_uri: Text.optional(),
      digest: Text.optional(),
    })
    .optional(),
  environment: Text.optional(),
  expected_outcome_delay: z
    .string()
    .refine((text) => durationMs(text) !== null, {
      message:
        'must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, such as P30D',
    })
    .optional(),
  positive_label: z.union([z.string().min(1).max(256), z.number(), z.boolean()]).optional(),
  reasons: z
    .record(Code, z.strictObject({ text: Text, adverse: z.boolean() }))
    .refine((reasons) => Object.keys(reasons).length <= 10_000, {
      message: 'holds more than 10,000 reason codes',
    })
    .optional(),
});

/** What a model version is declared to be and to do (see docs/analytics.md). */
export type ModelDeclaration = z.infer<typeof Declaration>;

export type ModelDeclarationParse =
  | { readonly ok: true; readonly declaration: ModelDeclaration }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Checks a model version's declaration and names every bad field.
 *
 * @example parseModelDeclaration({ owner: 'risk' }).issues // [{ path: 'purpose', message: 'is required' }]
 */
export function parseModelDeclaration(value: unknown): ModelDeclarationParse {
  const parsed = Declaration.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, declaration: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const path = formatPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        return { path, message: `unknown field ${issue.keys.join(', ')}` };
      }
      if (issue.input === undefined && issue.code !== 'custom')
        return { path, message: 'is required' };
      return { path, message: issue.message.replace(/^Invalid input: /, '') };
    }),
  };
}
