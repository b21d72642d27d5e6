import { ApiError, type Api } from '../api/api-client';
import { formatDuration, formatNumber } from '../format';
import { useAsync } from '../use-async';
import { ErrorNotice, Loading } from './status-notice';

/** One version of `GET /v1/analyses/performance`. */
interface VersionPerformance {
  readonly version: string;
  readonly decisions: number;
  readonly with_outcome: number;
  readonly awaiting_outcome: number;
  readonly evaluated?: number;
  readonly metrics: {
    readonly accuracy: number;
    readonly f1: number | null;
    readonly brier: number;
    readonly rocAuc: number | null;
    readonly ece: number;
  } | null;
  readonly outcome_delay_seconds: { readonly p50: number | null; readonly p90: number | null };
}

interface PerformanceAnswer {
  readonly versions: readonly VersionPerformance[];
  readonly findings: readonly string[];
}

/** Realised performance per version of a model, once outcomes arrive, and its findings. */
export function PerformanceTable({ api, model }: { readonly api: Api; readonly model: string }) {
  const [answer] = useAsync(
    () => api.json<PerformanceAnswer>('/v1/analyses/performance', { model }),
    model,
  );
  if (answer.status === 'loading') return <Loading what="the performance analysis" />;
  if (
    answer.status === 'error' &&
    answer.error instanceof ApiError &&
    answer.error.details.some((detail) => detail.path === 'positive')
  ) {
    // Undeclared, or versions that declare different positive labels: no verdict to show.
    return (
      <section aria-labelledby="performance-heading">
        <h2 id="performance-heading">Performance once outcomes arrive</h2>
        <p class="notice" data-performance="no-positive-label">
          The server weighs outcomes once it knows which outcome label counts as positive: an admin
          declares it as the version's <code>positive_label</code> ({answer.error.message}).
        </p>
      </section>
    );
  }
  if (answer.status === 'error')
    return <ErrorNotice error={answer.error} what="The performance analysis could not be read" />;
  const delay = (seconds: number | null) =>
    seconds === null ? '' : formatDuration(seconds * 1000);
  return (
    <section aria-labelledby="performance-heading">
      <h2 id="performance-heading">Performance once outcomes arrive</h2>
      {answer.value.findings.length > 0 && (
        <ul class="findings">
          {answer.value.findings.map((finding) => (
            <li key={finding}>{finding}</li>
          ))}
        </ul>
      )}
      <div class="table-wrap">
        <table class="performance">
          <caption>Per version, each decision weighed against its latest outcome</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Decisions</th>
              <th scope="col">With outcome</th>
              <th scope="col">Awaiting</th>
              <th scope="col">Evaluated</th>
              <th scope="col">Accuracy</th>
              <th scope="col">F1</th>
              <th scope="col">ROC AUC</th>
              <th scope="col">Brier</th>
              <th scope="col">ECE</th>
              <th scope="col">Outcome delay p50</th>
              <th scope="col">p90</th>
            </tr>
          </thead>
          <tbody>
            {answer.value.versions.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td class="num">{formatNumber(v.decisions)}</td>
                <td class="num">{formatNumber(v.with_outcome)}</td>
                <td class="num">{formatNumber(v.awaiting_outcome)}</td>
                <td class="num">{formatNumber(v.evaluated)}</td>
                <td class="num">{formatNumber(v.metrics?.accuracy)}</td>
                <td class="num">{formatNumber(v.metrics?.f1)}</td>
                <td class="num">{formatNumber(v.metrics?.rocAuc)}</td>
                <td class="num">{formatNumber(v.metrics?.brier)}</td>
                <td class="num">{formatNumber(v.metrics?.ece)}</td>
                <td class="num">{delay(v.outcome_delay_seconds.p50)}</td>
                <td class="num">{delay(v.outcome_delay_seconds.p90)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
