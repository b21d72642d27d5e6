import type { ChartPoint } from '../components/time-chart';
import { ApiError, type Api } from './api-client';

/** The metrics `GET /v1/analyses/anomalies` charts for a model, in the order the page shows them. */
export const MODEL_METRICS = [
  { metric: 'volume', title: 'Decisions per bucket' },
  { metric: 'escalation_rate', title: 'Escalation rate' },
  { metric: 'override_rate', title: 'Override rate' },
  { metric: 'human_review_rate', title: 'Human review rate' },
  { metric: 'failure_rate', title: 'Failure rate (outcomes)' },
] as const;

export interface AnomalySeries {
  readonly points: readonly ChartPoint[];
  readonly findings: readonly string[];
}

/**
 * One metric of a model over time with its control band, or null when this server has no
 * analyses (the route answers 404 route_not_found): the page then says so instead of failing.
 */
export async function anomalySeries(
  api: Api,
  model: string,
  metric: string,
  bucket: 'hour' | 'day',
): Promise<AnomalySeries | null> {
  try {
    const answer = await api.json<{ points?: ChartPoint[]; findings?: string[] }>(
      '/v1/analyses/anomalies',
      { model, metric, bucket },
    );
    return { points: answer.points ?? [], findings: answer.findings ?? [] };
  } catch (error) {
    if (error instanceof ApiError && error.unavailable) return null;
    throw error;
  }
}
