import { z } from 'zod';
import { formatPath, type ValidationIssue } from '../contract/validation-issue.js';
import { ROOT, childSlots, refusal, type Slot, type SlotAction } from './_field-slots.js';
import { SENSITIVE_KINDS, type SensitiveKind } from './detect-sensitive-text.js';

export const DATE_PRECISIONS = ['year', 'month', 'day', 'hour'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/** One field rule. `path` is dot-separated keys; `*` stands for any one key or array item. */
export type MaskingRule =
  | { readonly path: string; readonly action: 'drop' }
  | { readonly path: string; readonly action: 'pseudonymize' }
  | { readonly path: string; readonly action: 'truncate'; readonly keep: number }
  | { readonly path: string; readonly action: 'generalize'; readonly to: DatePrecision }
  | { readonly path: string; readonly action: 'generalize'; readonly step: number };

/** Free-text hygiene: look for `detect` in `fields`, then flag or mask what is found. */
export interface TextPolicy {
  readonly fields: readonly string[];
  readonly detect: readonly SensitiveKind[];
  readonly action: 'flag' | 'mask';
}

/**
 * Free-text fields of a decision that can be sealed as personal data, like `input.features`
 * (see docs/privacy.md), by the field's path here and its RFC 6901 pointer there.
 */
export const SEALABLE_TEXT = {
  'rationale.summary': '/rationale/summary',
  'rationale.reasons.*.detail': '/rationale/reasons/*/detail',
} as const;
export type SealableText = keyof typeof SEALABLE_TEXT;

/** A tenant's masking policy: plain data (it crosses worker threads by structured clone). */
export interface MaskingPolicy {
  readonly rules: readonly MaskingRule[];
  readonly text?: TextPolicy;
  /**
   * Free-text fields to seal under the subject's key in decisions that name a subject: then
   * erasable like the features. Applied after the rules and the text policy.
   */
  readonly seal?: readonly SealableText[];
}

export type MaskingPolicyParse =
  | { readonly ok: true; readonly policy: MaskingPolicy }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

const Path = z.string().regex(/^(?:[^.]+)(?:\.[^.]+)*$/, 'must be dot-separated non-empty keys');
const Rule = z.union([
  z.strictObject({ path: Path, action: z.enum(['drop', 'pseudonymize']) }),
  z.strictObject({ path: Path, action: z.literal('truncate'), keep: z.int().min(1) }),
  z.strictObject({ path: Path, action: z.literal('generalize'), to: z.enum(DATE_PRECISIONS) }),
  z.strictObject({
    path: Path,
    action: z.literal('generalize'),
    step: z.number().positive().max(Number.MAX_SAFE_INTEGER),
  }),
]);
const Policy = z.strictObject({
  rules: z.array(z.unknown()).max(1000),
  text: z
    .strictObject({
      fields: z.array(Path).max(1000),
      detect: z.array(z.enum(SENSITIVE_KINDS)).min(1),
      action: z.enum(['flag', 'mask']),
    })
    .optional(),
  seal: z
    .array(z.enum(Object.keys(SEALABLE_TEXT) as [SealableText, ...SealableText[]]))
    .max(2)
    .optional(),
});

/**
 * Checks a masking policy and names every bad field, including every rule that could make a
 * valid event invalid or touch what the ledger, the indexes or erasure need.
 *
 * @example parseMaskingPolicy({ rules: [{ path: 'id', action: 'drop' }] }).issues
 *   // [{ path: 'rules[0].path', message: 'id: the envelope is what ...' }]
 */
export function parseMaskingPolicy(value: unknown): MaskingPolicyParse {
  const parsed = Policy.safeParse(value, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map(toIssue([])) };
  const issues: ValidationIssue[] = [];
  parsed.data.rules.forEach((raw, index) => {
    const rule = Rule.safeParse(raw, { reportInput: true });
    if (!rule.success) {
      issues.push(...ruleIssues(raw, index, rule.error));
      return;
    }
    const problem = pathProblem(rule.data.path, slotAction(rule.data));
    if (problem) issues.push({ path: formatPath(['rules', index, 'path']), message: problem });
  });
  parsed.data.text?.fields.forEach((path, index) => {
    const problem = pathProblem(path, 'text');
    if (problem) issues.push({ path: formatPath(['text', 'fields', index]), message: problem });
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, policy: parsed.data as MaskingPolicy };
}

/** The slot action a rule performs. */
export function slotAction(rule: MaskingRule): SlotAction {
  if (rule.action !== 'generalize') return rule.action;
  return 'to' in rule ? 'date' : 'step';
}

/** Why `path` cannot take `action`: no such field, or some field it matches refuses it. */
function pathProblem(path: string, action: SlotAction): string | undefined {
  let slots: (readonly [string, Slot])[] = [['', ROOT]];
  for (const segment of path.split('.')) {
    slots = slots.flatMap(([at, slot]) =>
      childSlots(slot, segment).map(([key, child]) => [at ? `${at}.${key}` : key, child] as const),
    );
    if (slots.length === 0) return `${path} is not a field of the event contract`;
  }
  for (const [field, slot] of slots) {
    const why = refusal(slot, action);
    if (why) return path === field ? `${why}` : `it matches ${field}: ${why}`;
  }
  return undefined;
}

function ruleIssues(raw: unknown, index: number, error: z.ZodError): ValidationIssue[] {
  const at = ['rules', index];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ path: formatPath(at), message: 'must be an object' }];
  }
  const rule = raw as Record<string, unknown>;
  const shape: Record<string, z.ZodType> = {
    drop: Rule.options[0],
    pseudonymize: Rule.options[0],
    truncate: Rule.options[1],
    generalize: 'step' in rule && !('to' in rule) ? Rule.options[3] : Rule.options[2],
  };
  const schema = typeof rule.action === 'string' ? shape[rule.action] : undefined;
  if (schema === undefined) {
    const message = 'must be one of drop, pseudonymize, truncate, generalize';
    return [{ path: formatPath([...at, 'action']), message }];
  }
  if (rule.action === 'generalize' && 'to' in rule && 'step' in rule) {
    return [{ path: formatPath(at), message: 'generalize takes either to or step, not both' }];
  }
  const own = schema.safeParse(raw, { reportInput: true });
  return (own.success ? error.issues : own.error.issues).map(toIssue(at));
}

function toIssue(at: readonly PropertyKey[]) {
  return (issue: z.core.$ZodIssue): ValidationIssue => {
    const path = formatPath([...at, ...issue.path]);
    if (issue.code === 'unrecognized_keys') {
      return { path, message: `unknown field ${issue.keys.join(', ')}` };
    }
    if (issue.input === undefined && issue.code !== 'custom')
      return { path, message: 'is required' };
    if (issue.code === 'invalid_value' && issue.values.length > 0) {
      return { path, message: `must be one of ${issue.values.map(String).join(', ')}` };
    }
    const message = issue.message.replace(/^Invalid input: /, '');
    return { path, message: message.charAt(0).toLowerCase() + message.slice(1) };
  };
}
