import { z } from 'zod';
import { formatPath, type ValidationIssue } from '../contract/validation-issue.js';

/** How long something is kept: an ISO 8601 duration such as `P90D`, `P1Y6M` or `PT12H`. */
export type RetentionPeriod = string;

/** How long a decision's sealed personal values and its whole records are kept; absent: for ever. */
export interface RetentionLimits {
  readonly personal_data?: RetentionPeriod;
  readonly records?: RetentionPeriod;
}

/** A tenant's retention policy: limits for every decision, overridden per model name. */
export interface RetentionPolicy extends RetentionLimits {
  readonly models?: Readonly<Record<string, RetentionLimits>>;
}

export type RetentionPolicyParse =
  | { readonly ok: true; readonly policy: RetentionPolicy }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

// Years, months, weeks, days, then hours, minutes, seconds: whole numbers of up to 6 digits.
const PERIOD =
  /^P(?=\d|T\d)(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?=\d)(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?$/;

const Period = z
  .string()
  .regex(PERIOD, 'must be an ISO 8601 duration of whole units, such as P90D, P1Y6M or PT12H')
  .refine((text) => !PERIOD.test(text) || periodParts(text).some((n) => n > 0), {
    message: 'must be longer than zero',
  });
const Limits = z.strictObject({ personal_data: Period.optional(), records: Period.optional() });
const Policy = z.strictObject({
  personal_data: Period.optional(),
  records: Period.optional(),
  models: z
    .record(z.string().min(1).max(256), Limits)
    .refine((models) => Object.keys(models).length <= 1000, 'at most 1000 models')
    .optional(),
});

/**
 * Checks a retention policy and names every bad field.
 *
 * @example parseRetentionPolicy({ personal_data: 'P90D', models: { scorer: { records: 'P2Y' } } })
 */
export function parseRetentionPolicy(value: unknown): RetentionPolicyParse {
  const parsed = Policy.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, policy: parsed.data as RetentionPolicy };
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

/** The limits in force for a model's decisions: its own, each falling back to the tenant's. */
export function limitsFor(policy: RetentionPolicy, model: string): RetentionLimits {
  const own = policy.models?.[model];
  const personal = own?.personal_data ?? policy.personal_data;
  const records = own?.records ?? policy.records;
  return {
    ...(personal === undefined ? {} : { personal_data: personal }),
    ...(records === undefined ? {} : { records }),
  };
}

/** Every period the policy names, once each. */
export function policyPeriods(policy: RetentionPolicy): readonly RetentionPeriod[] {
  const all = [policy, ...Object.values(policy.models ?? {})].flatMap((limits) => [
    limits.personal_data,
    limits.records,
  ]);
  return [...new Set(all.filter((p): p is string => p !== undefined))];
}

/**
 * The instant `period` before `nowMs`: what was recorded before it is older than the period.
 * Calendar units count in UTC, as `Date` does (one month before 31 March is 3 March).
 */
export function periodStartMs(nowMs: number, period: RetentionPeriod): number {
  const [years, months, weeks, days, hours, minutes, seconds] = periodParts(period);
  const at = new Date(nowMs);
  at.setUTCFullYear(at.getUTCFullYear() - years, at.getUTCMonth() - months);
  at.setUTCDate(at.getUTCDate() - 7 * weeks - days);
  return at.getTime() - ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

type PeriodParts = [number, number, number, number, number, number, number];

/** Years, months, weeks, days, hours, minutes, seconds. */
function periodParts(period: string): PeriodParts {
  const match = PERIOD.exec(period);
  if (!match) throw new RangeError(`not a retention period: ${period}`);
  return Array.from({ length: 7 }, (_, i) => Number(match[i + 1] ?? 0)) as PeriodParts;
}
