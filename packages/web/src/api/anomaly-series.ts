import type { ChartPoint } from '../components/time-chart';
import type { Api } from './api-client';

/** The metrics `GET /v1/analyses/anomalies` charts for a model, in the order the page shows them. */
export const MODEL_METRICS = [
  { metric: 'volume', title: 'Decisions per bucket' },
  { metric: 'escalation_rate', title: 'Escalation rate' },
  { metric: 'override_rate', title: 'Override rate' },
  { metric: 'human_review_rate', title: 'Human review rate' },
  { metric: 'failure_rate', title: 'Failure rate (outcomes)' },
] as const;

export type Bucket = 'hour' | 'day';

/** How many buckets the page watches; the server compares them with the 14 before. */
export const WATCHED = { day: 7, hour: 48 } as const;
const WIDTH = { day: 86_400_000, hour: 3_600_000 } as const;
/** The buckets before the window the server takes as the baseline by default. */
const BASELINE = 14;

export interface AnomalySeries {
  readonly points: readonly ChartPoint[];
  readonly findings: readonly string[];
}

/** The window the page watches: the last buckets up to the one of the model's last decision. */
export function watchedWindow(lastDecisionAt: string, bucket: Bucket) {
  const width = WIDTH[bucket];
  const last = Date.parse(lastDecisionAt);
  const to = last - (last % width) + width;
  return {
    from: new Date(to - WATCHED[bucket] * width).toISOString(),
    to: new Date(to).toISOString(),
  };
}

/** One metric of a model over `window`, with its control band and findings. */
export async function anomalySeries(
  api: Api,
  model: string,
  metric: string,
  bucket: Bucket,
  window: { readonly from: string; readonly to: string },
): Promise<AnomalySeries> {
  const answer = await api.json<{ points: ChartPoint[]; findings: string[] }>(
    '/v1/analyses/anomalies',
    { model, metric, bucket, from: window.from, to: window.to },
  );
  return { points: answer.points, findings: answer.findings };
}

/** The reference a drift analysis compares `window` with: the 14 buckets before it, as the baseline. */
export function referenceBefore(window: { readonly from: string }, bucket: Bucket) {
  const from = Date.parse(window.from);
  return { from: new Date(from - BASELINE * WIDTH[bucket]).toISOString(), to: window.from };
}
