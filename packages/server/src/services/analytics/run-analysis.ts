import { DeclogError, type ErrorDetail } from '../../errors.js';
import type { AnalysisDeps } from './analysis-deps.js';
import type { AnalysisParams } from './analysis-params.js';
import { ANOMALY_PARAMS, anomalyAnalysis } from './anomaly-analysis.js';
import { DRIFT_PARAMS, driftAnalysis } from './drift-analysis.js';
import { FAIRNESS_PARAMS, fairnessAnalysis } from './fairness-analysis.js';
import { PERFORMANCE_PARAMS, performanceAnalysis } from './performance-analysis.js';
import { QUALITY_PARAMS, qualityAnalysis } from './quality-analysis.js';

type Analysis = (deps: AnalysisDeps, params: AnalysisParams) => Promise<unknown>;

/** Every analysis by name (`/v1/analyses/NAME`, `declog analyze NAME`), with its parameters. */
export const ANALYSES = {
  quality: { params: QUALITY_PARAMS, run: qualityAnalysis },
  drift: { params: DRIFT_PARAMS, run: driftAnalysis },
  performance: { params: PERFORMANCE_PARAMS, run: performanceAnalysis },
  fairness: { params: FAIRNESS_PARAMS, run: fairnessAnalysis },
  anomalies: { params: ANOMALY_PARAMS, run: anomalyAnalysis },
} as const satisfies Record<string, { params: readonly string[]; run: Analysis }>;

export type AnalysisName = keyof typeof ANALYSES;
export const ANALYSIS_NAMES = Object.keys(ANALYSES) as AnalysisName[];

/**
 * Runs the analysis `name` on the query `search`: each parameter must be one it takes, given
 * once. The answer is a plain JSON value (no NaN, no undefined figures).
 */
export async function runAnalysis(
  name: AnalysisName,
  deps: AnalysisDeps,
  search: URLSearchParams,
): Promise<unknown> {
  const { params: allowed, run } = ANALYSES[name];
  const params: Record<string, string> = {};
  const issues: ErrorDetail[] = [];
  for (const [key, value] of search) {
    if (!(allowed as readonly string[]).includes(key)) {
      issues.push({ path: key, message: `is not a parameter here; use ${allowed.join(', ')}` });
    } else if (params[key] !== undefined) {
      issues.push({ path: key, message: 'is given more than once' });
    } else params[key] = value;
  }
  if (issues.length > 0) throw new DeclogError('invalid_query', 'invalid query parameters', issues);
  return run(deps, params);
}
