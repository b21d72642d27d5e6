import { Link } from 'wouter-preact';
import type { StoredDecision } from '../api/stored-events';
import { formatNumber, formatTime } from '../format';

/** A page of decisions; each id opens its chain. */
export function DecisionTable({
  items,
  caption,
}: {
  readonly items: readonly StoredDecision[];
  readonly caption: string;
}) {
  return (
    <div class="table-wrap">
      <table class="decisions">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Occurred</th>
            <th scope="col">Decision</th>
            <th scope="col">Model</th>
            <th scope="col">Prediction</th>
            <th scope="col">Confidence</th>
            <th scope="col">Reasons</th>
            <th scope="col">Subject</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.seq}>
              <td>
                <time dateTime={d.occurred_at}>{formatTime(d.occurred_at)}</time>
              </td>
              <td>
                <Link href={`/decisions/${encodeURIComponent(d.id)}`}>{d.id}</Link>
              </td>
              <td>
                {d.model.name} <span class="muted">{d.model.version}</span>
              </td>
              <td>
                {d.prediction.label !== undefined ? String(d.prediction.label) : ''}
                {d.prediction.score !== undefined && (
                  <span class="muted"> {formatNumber(d.prediction.score)}</span>
                )}
              </td>
              <td class="num">{d.confidence !== undefined ? formatNumber(d.confidence) : ''}</td>
              <td>{(d.rationale.reasons ?? []).map((r) => r.code).join(', ')}</td>
              <td>{d.subject?.id ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
