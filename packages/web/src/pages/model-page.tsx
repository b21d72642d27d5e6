import { Link, useLocation } from 'wouter-preact';
import { anomalySeries, MODEL_METRICS } from '../api/anomaly-series';
import { useApp } from '../app-context';
import { ErrorNotice, Loading } from '../components/status-notice';
import { TimeChart } from '../components/time-chart';
import { useAsync } from '../use-async';
import { useQuery } from '../use-query';

/**
 * One model: its decisions, and its rates over time with their control bands from the
 * analyses (`GET /v1/analyses/anomalies`). On a server without analyses the page says so and
 * still leads to the model's decisions.
 */
export function ModelPage({ name }: { readonly name: string }) {
  const { api } = useApp();
  const search = useQuery();
  const [, navigate] = useLocation();
  const bucket = new URLSearchParams(search).get('bucket') === 'hour' ? 'hour' : 'day';
  const [series] = useAsync(
    () =>
      Promise.all(
        MODEL_METRICS.map(async ({ metric, title }) => ({
          metric,
          title,
          series: await anomalySeries(api, name, metric, bucket),
        })),
      ),
    `${name} ${bucket}`,
  );
  const decisions = `/decisions?model=${encodeURIComponent(name)}`;
  return (
    <main id="main" class="page">
      <p class="breadcrumb">
        <Link href="/models">Models</Link> /
      </p>
      <h1>
        Model <code>{name}</code>
      </h1>
      <p>
        <Link href={decisions}>Its decisions</Link> ·{' '}
        <Link href={`/decisions?model=${encodeURIComponent(name)}&action_kind=escalation`}>
          its escalated decisions
        </Link>
      </p>
      <div class="field">
        <label for="bucket">Bucket</label>
        <select
          id="bucket"
          value={bucket}
          onChange={(event) =>
            navigate(`/models/${encodeURIComponent(name)}?bucket=${event.currentTarget.value}`)
          }
        >
          <option value="day">day</option>
          <option value="hour">hour</option>
        </select>
      </div>
      {series.status === 'loading' ? (
        <Loading what="the model's analyses" />
      ) : series.status === 'error' ? (
        <ErrorNotice error={series.error} what="The model's analyses could not be read" />
      ) : series.value.every((item) => item.series === null) ? (
        <p class="notice" role="status" data-analyses="unavailable">
          This server does not compute analyses yet: rates over time, control bands and alerts
          appear here once it does. The decisions of {name} are listed under{' '}
          <Link href={decisions}>Decisions</Link>.
        </p>
      ) : (
        <div class="cards">
          {series.value.map((item) =>
            item.series === null ? null : (
              <section key={item.metric} aria-label={item.title}>
                <TimeChart title={item.title} points={item.series.points} />
                {item.series.findings.length > 0 && (
                  <ul class="findings">
                    {item.series.findings.map((finding) => (
                      <li key={finding}>{finding}</li>
                    ))}
                  </ul>
                )}
              </section>
            ),
          )}
        </div>
      )}
    </main>
  );
}
