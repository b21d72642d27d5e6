import {
  DECISION_FIELDS,
  REQUIRED_DECISION_FIELDS,
  durationMs,
  type AnalyticsScope,
  type CountWithExamples,
  type QualityCheck,
} from '@declog/core';
import { badParam, currentScope, percent, type AnalysisParams } from './analysis-params.js';
import type { AnalysisDeps } from './analysis-deps.js';

export const QUALITY_PARAMS = ['model', 'version', 'from', 'to', 'grace', 'action_within'] as const;

/** At most this many example ids per check. */
const EXAMPLES = 100;
const DEFAULT_GRACE = 'P1D';
const DEFAULT_ACTION_WITHIN = 'P1D';

/** `GET /v1/analyses/quality`: see docs/analytics.md#quality. */
export async function qualityAnalysis(deps: AnalysisDeps, params: AnalysisParams) {
  const scope = currentScope(params, true);
  const grace = durationParam(params, 'grace', DEFAULT_GRACE);
  const actionWithin = durationParam(params, 'action_within', DEFAULT_ACTION_WITHIN);
  const { store, nowMs } = deps;
  const declared = await deps.registry.declared(deps.tenant);
  const usage = await store.modelUsage(scope);
  const checks: { check: string; count: number; examples: readonly string[]; detail?: string }[] =
    [];
  const run = async (name: string, on: AnalyticsScope, check: QualityCheck, detail?: string) => {
    const result = await store.qualityCheck(on, check, EXAMPLES);
    checks.push({ check: name, ...result, ...(detail === undefined ? {} : { detail }) });
    return result;
  };
  for (const type of ['action', 'outcome', 'annotation'] as const) {
    await run(
      `orphan_${type}s`,
      scope,
      { kind: 'orphans', type, beforeMs: nowMs - grace.ms },
      `no decision after ${grace.text}`,
    );
  }
  await run(
    'decisions_without_action',
    scope,
    { kind: 'without_action', beforeMs: nowMs - actionWithin.ms },
    `no action after ${actionWithin.text}`,
  );
  // Overdue outcomes: per declared version, past its declared delay.
  const overdue: CountWithExamples[] = [];
  const undeclared: string[] = [];
  const outsideCatalogue: CountWithExamples[] = [];
  for (const use of usage) {
    const declaration = declared[use.model]?.[use.version]?.at(-1)?.declaration;
    const on: AnalyticsScope = { ...scope, model: use.model, versions: [use.version] };
    if (!declaration) {
      undeclared.push(`${use.model}@${use.version}`);
      continue;
    }
    const delay = declaration.expected_outcome_delay;
    if (delay !== undefined) {
      overdue.push(
        await store.qualityCheck(
          on,
          { kind: 'without_outcome', beforeMs: nowMs - (durationMs(delay) ?? 0) },
          EXAMPLES,
        ),
      );
    }
    if (declaration.reasons !== undefined) {
      const catalogue = new Set(Object.keys(declaration.reasons));
      const cited = (await store.reasonUse(on))
        .map((r) => r.code)
        .filter((code) => !catalogue.has(code));
      if (cited.length > 0)
        outsideCatalogue.push(
          await store.qualityCheck(on, { kind: 'citing', codes: cited }, EXAMPLES),
        );
    }
  }
  checks.push({
    check: 'outcomes_overdue',
    ...merged(overdue),
    detail: 'no outcome after the declared expected_outcome_delay',
  });
  await run('outcomes_before_decision', scope, { kind: 'outcome_before_decision' });
  checks.push({
    check: 'reasons_outside_catalogue',
    ...merged(outsideCatalogue),
    detail: 'a reason code the version does not declare',
  });
  const undeclaredDecisions = merged(
    await Promise.all(
      undeclared.map((key) => {
        const at = key.lastIndexOf('@');
        return store.qualityCheck(
          { ...scope, model: key.slice(0, at), versions: [key.slice(at + 1)] },
          { kind: 'decisions' },
          EXAMPLES,
        );
      }),
    ),
  );
  checks.push({
    check: 'undeclared_versions',
    count: undeclared.length,
    examples: undeclared.slice(0, EXAMPLES),
    detail: `${undeclaredDecisions.count} decision(s) by model versions nobody declared`,
  });

  const completeness = (await store.fieldCounts(scope)).map((counts) => ({
    model: counts.model,
    decisions: counts.decisions,
    required: Object.fromEntries(
      REQUIRED_DECISION_FIELDS.map((f) => [f, counts.decisions === 0 ? null : 1]),
    ),
    optional: Object.fromEntries(
      DECISION_FIELDS.map((f, bit) => [
        f,
        counts.decisions === 0 ? null : (counts.present[bit] ?? 0) / counts.decisions,
      ]),
    ),
  }));
  const findings: string[] = [];
  const say: Record<string, (c: (typeof checks)[number]) => string> = {
    orphan_actions: (c) =>
      `${c.count} action(s) name a decision the log does not hold, ${grace.text} after they occurred.`,
    orphan_outcomes: (c) =>
      `${c.count} outcome(s) name a decision the log does not hold, ${grace.text} after they occurred.`,
    orphan_annotations: (c) => `${c.count} annotation(s) name a decision the log does not hold.`,
    decisions_without_action: (c) =>
      `${c.count} decision(s) have no recorded action ${actionWithin.text} after they were made.`,
    outcomes_overdue: (c) =>
      `${c.count} decision(s) have no outcome past their model version's declared outcome delay.`,
    outcomes_before_decision: (c) =>
      `${c.count} outcome(s) are dated before their decision: check the producers' clocks.`,
    reasons_outside_catalogue: (c) =>
      `${c.count} decision(s) cite reason codes their model version does not declare.`,
    undeclared_versions: (c) =>
      `${c.count} model version(s) decided without a declaration: ${c.examples.slice(0, 5).join(', ')}.`,
  };
  for (const c of checks)
    if (c.count > 0) findings.push(say[c.check]?.(c) ?? `${c.check}: ${c.count}`);
  for (const model of completeness) {
    const sparse = Object.entries(model.optional).filter(
      ([f, share]) => share !== null && share > 0 && share < 0.95 && f !== 'subject',
    );
    for (const [field, share] of sparse) {
      findings.push(
        `${model.model}: ${field} is present in only ${percent(share as number)} of decisions.`,
      );
    }
  }
  if (usage.length === 0)
    findings.push('No decisions in this window: nothing to check for completeness.');
  return {
    model: scope.model ?? null,
    grace: grace.text,
    action_within: actionWithin.text,
    checks,
    completeness,
    findings,
  };
}

function durationParam(params: AnalysisParams, name: string, fallback: string) {
  const text = params[name] ?? fallback;
  const ms = durationMs(text);
  if (ms === null)
    throw badParam(
      name,
      'must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, such as P1D or PT6H',
    );
  return { text, ms };
}

function merged(results: readonly CountWithExamples[]): CountWithExamples {
  return {
    count: results.reduce((a, r) => a + r.count, 0),
    examples: results.flatMap((r) => r.examples).slice(0, EXAMPLES),
  };
}
