import { Link, useLocation } from 'wouter-preact';
import { ApiError } from '../api/api-client';
import {
  anomalySeries,
  MODEL_METRICS,
  WATCHED,
  referenceBefore,
  watchedWindow,
  type Bucket,
} from '../api/anomaly-series';
import { readInventory, type InventoryVersion } from '../api/model-inventory';
import { useApp } from '../app-context';
import { DriftSummary } from '../components/drift-summary';
import { FairnessCheck } from '../components/fairness-check';
import { PerformanceTable } from '../components/performance-table';
import { ErrorNotice, Loading } from '../components/status-notice';
import { TimeChart } from '../components/time-chart';
import { formatNumber, formatTime } from '../format';
import { useAsync } from '../use-async';
import { useQuery } from '../use-query';

/**
 * One model: its versions as the inventory knows them (`GET /v1/models`), and its rates over
 * time with their control bands (`GET /v1/analyses/anomalies`) over the last buckets up to its
 * last decision. On a server without the inventory and analyses the page says so and still
 * leads to the model's decisions.
 */
export function ModelPage({ name }: { readonly name: string }) {
  const { api } = useApp();
  const search = useQuery();
  const [, navigate] = useLocation();
  const bucket: Bucket = new URLSearchParams(search).get('bucket') === 'hour' ? 'hour' : 'day';
  const [inventory] = useAsync(() => readInventory(api), `models ${name}`);
  const decisions = `/decisions?model=${encodeURIComponent(name)}`;
  const versions =
    inventory.status === 'ok'
      ? (inventory.value.models.find((model) => model.name === name)?.versions ?? [])
      : [];
  const last = versions
    .map((v) => v.last_decision_at)
    .filter((at): at is string => at !== null)
    .sort()
    .at(-1);
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
      {inventory.status === 'loading' ? (
        <Loading what="the model inventory" />
      ) : inventory.status === 'error' ? (
        inventory.error instanceof ApiError && inventory.error.unavailable ? (
          <p class="notice" role="status" data-analyses="unavailable">
            This server keeps no model inventory and computes no analyses: rates over time, control
            bands and alerts appear here once it does. The decisions of {name} are listed under{' '}
            <Link href={decisions}>Decisions</Link>.
          </p>
        ) : (
          <ErrorNotice error={inventory.error} what="The model inventory could not be read" />
        )
      ) : versions.length === 0 ? (
        <p class="notice" role="status">
          No version of {name} has decided or been declared.
        </p>
      ) : (
        <>
          <Versions versions={versions} />
          {last === undefined ? (
            <p class="notice">No version of {name} has decided yet: nothing to chart.</p>
          ) : (
            <>
              <div class="field">
                <label for="bucket">Bucket</label>
                <select
                  id="bucket"
                  value={bucket}
                  onChange={(event) =>
                    navigate(
                      `/models/${encodeURIComponent(name)}?bucket=${event.currentTarget.value}`,
                    )
                  }
                >
                  <option value="day">day (the last {WATCHED.day})</option>
                  <option value="hour">hour (the last {WATCHED.hour})</option>
                </select>
              </div>
              <Rates name={name} bucket={bucket} last={last} />
            </>
          )}
          {versions.some((v) => v.decisions > 0) && (
            <>
              <PerformanceTable api={api} model={name} />
              <FairnessCheck api={api} model={name} />
            </>
          )}
        </>
      )}
    </main>
  );
}

function Versions({ versions }: { readonly versions: readonly InventoryVersion[] }) {
  return (
    <div class="table-wrap">
      <table class="versions">
        <caption>Versions</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Declared</th>
            <th scope="col">Owner</th>
            <th scope="col">Purpose</th>
            <th scope="col">Last decision</th>
            <th scope="col">Decisions</th>
            <th scope="col">Actions</th>
            <th scope="col">Outcomes</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{v.declared ? `yes (revision ${v.revision ?? ''})` : 'no'}</td>
              <td>{v.declaration?.owner ?? ''}</td>
              <td>{v.declaration?.purpose ?? ''}</td>
              <td>{formatTime(v.last_decision_at)}</td>
              <td class="num">{formatNumber(v.decisions)}</td>
              <td class="num">{formatNumber(v.actions)}</td>
              <td class="num">{formatNumber(v.outcomes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The model's rates and volume over the watched window, each against its baseline. */
function Rates({
  name,
  bucket,
  last,
}: {
  readonly name: string;
  readonly bucket: Bucket;
  readonly last: string;
}) {
  const { api } = useApp();
  const watched = watchedWindow(last, bucket);
  const [series] = useAsync(
    () =>
      Promise.all(
        MODEL_METRICS.map(async ({ metric, title }) => ({
          metric,
          title,
          series: await anomalySeries(api, name, metric, bucket, watched),
        })),
      ),
    `${name} ${bucket} ${watched.from}`,
  );
  return (
    <>
      <p class="muted">
        From {formatTime(watched.from)} to {formatTime(watched.to)}, each {bucket} against the 14
        before it.
      </p>
      {series.status === 'loading' ? (
        <Loading what="the model's analyses" />
      ) : series.status === 'error' ? (
        <ErrorNotice error={series.error} what="The model's analyses could not be read" />
      ) : (
        <>
          <div class="cards">
            {series.value.map((item) => (
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
            ))}
          </div>
          <DriftSummary
            api={api}
            model={name}
            current={watched}
            reference={referenceBefore(watched, bucket)}
          />
        </>
      )}
    </>
  );
}
