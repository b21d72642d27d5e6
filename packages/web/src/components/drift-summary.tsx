import type { Api } from '../api/api-client';
import { formatNumber } from '../format';
import { useAsync } from '../use-async';
import { ErrorNotice, Loading } from './status-notice';

/** One field and method of `GET /v1/analyses/drift`. */
interface DriftItem {
  readonly field: string;
  readonly method: string;
  readonly value: number;
  readonly pvalue: number | null;
  readonly threshold: number;
  readonly drift: boolean;
  readonly decisive?: boolean;
}

interface DriftAnswer {
  readonly items: readonly DriftItem[];
  readonly drifted: readonly string[];
  readonly findings: readonly string[];
}

/**
 * Score, confidence, feature, label, reason-code and action drift of a model: the current
 * window against the reference before it, as the server's deciding method for each field sees it.
 */
export function DriftSummary({
  api,
  model,
  current,
  reference,
}: {
  readonly api: Api;
  readonly model: string;
  readonly current: { readonly from: string; readonly to: string };
  readonly reference: { readonly from: string; readonly to: string };
}) {
  const [drift] = useAsync(
    () =>
      api.json<DriftAnswer>('/v1/analyses/drift', {
        model,
        from: current.from,
        to: current.to,
        reference_from: reference.from,
        reference_to: reference.to,
      }),
    `${model} ${current.from} ${current.to}`,
  );
  if (drift.status === 'loading') return <Loading what="the drift analysis" />;
  if (drift.status === 'error')
    return <ErrorNotice error={drift.error} what="The drift analysis could not be read" />;
  const decisive = drift.value.items.filter((item) => item.decisive === true);
  return (
    <section aria-labelledby="drift-heading" data-drifted={drift.value.drifted.join(' ')}>
      <h2 id="drift-heading">Drift</h2>
      {drift.value.findings.length === 0 ? (
        <p>No field drifted.</p>
      ) : (
        <ul class="findings">
          {drift.value.findings.map((finding) => (
            <li key={finding}>{finding}</li>
          ))}
        </ul>
      )}
      {decisive.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>The deciding method of each field</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Method</th>
                <th scope="col">Value</th>
                <th scope="col">p-value</th>
                <th scope="col">Threshold</th>
                <th scope="col">Drift</th>
              </tr>
            </thead>
            <tbody>
              {decisive.map((item) => (
                <tr key={`${item.field} ${item.method}`} class={item.drift ? 'flagged' : undefined}>
                  <td>{item.field}</td>
                  <td>{item.method}</td>
                  <td class="num">{formatNumber(item.value)}</td>
                  <td class="num">{formatNumber(item.pvalue)}</td>
                  <td class="num">{formatNumber(item.threshold)}</td>
                  <td>{item.drift ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
