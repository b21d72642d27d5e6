import type { ComponentChildren } from 'preact';
import type {
  DecisionChain,
  StoredAction,
  StoredAnnotation,
  StoredDecision,
  StoredOutcome,
} from '../api/stored-events';
import { formatDuration, formatNumber, formatTime } from '../format';

/** A model version's reason-code catalogue (from the model inventory), when declared. */
export type ReasonCatalogue = Readonly<
  Record<string, { readonly text: string; readonly adverse?: boolean }>
>;

type Entry = StoredDecision | StoredAction | StoredOutcome | StoredAnnotation;

/** The whole chain on one timeline, in `occurred_at` order (then `seq`), as the API lists it. */
export function ChainTimeline({
  chain,
  catalogue,
}: {
  readonly chain: DecisionChain;
  readonly catalogue: ReasonCatalogue | null;
}) {
  const entries: Entry[] = [
    chain.decision,
    ...chain.actions,
    ...chain.outcomes,
    ...chain.annotations,
  ];
  entries.sort((a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at) || a.seq - b.seq);
  const decidedMs = Date.parse(chain.decision.occurred_at);
  return (
    <ol class="timeline" aria-label="The decision's chain in time order">
      {entries.map((entry) => (
        <li key={entry.seq} class={`entry entry-${entry.type}`}>
          <div class="entry-head">
            <span class="kind">{entry.type}</span>
            <time dateTime={entry.occurred_at}>{formatTime(entry.occurred_at)}</time>
            {entry.type !== 'decision' && (
              <span class="muted">
                {' '}
                ({formatDuration(Date.parse(entry.occurred_at) - decidedMs)} after the decision)
              </span>
            )}
            <span class="muted seq">seq {entry.seq}</span>
          </div>
          {entry.type === 'decision' ? (
            <DecisionBody decision={entry} catalogue={catalogue} />
          ) : entry.type === 'action' ? (
            <p>
              <strong>{entry.action.kind.replace('_', ' ')}</strong>: {entry.action.name}, by{' '}
              {entry.action.actor.type} <strong>{entry.action.actor.id}</strong>
              {entry.action.details && <Details value={entry.action.details} />}
            </p>
          ) : entry.type === 'outcome' ? (
            <p>
              Outcome <strong>{entry.outcome.status}</strong>
              {entry.outcome.label !== undefined && <> ({String(entry.outcome.label)})</>}
              {entry.outcome.value !== undefined && (
                <>, value {formatNumber(entry.outcome.value)}</>
              )}
              {entry.outcome.source && <>, from {entry.outcome.source}</>}
            </p>
          ) : (
            <div>
              <p class="note-text">{entry.annotation.text}</p>
              <p class="muted">
                Note by {entry.annotation.author ?? 'an unnamed author'}
                {entry.annotation.tags && entry.annotation.tags.length > 0 && (
                  <> · tags {entry.annotation.tags.join(', ')}</>
                )}
              </p>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

function DecisionBody({
  decision,
  catalogue,
}: {
  readonly decision: StoredDecision;
  readonly catalogue: ReasonCatalogue | null;
}) {
  const personal = decision.personal;
  const erased = personal?.erased === true;
  const reasons = decision.rationale.reasons ?? [];
  return (
    <div class="decision-body">
      <dl class="facts">
        <Fact name="Model">
          {decision.model.name} {decision.model.version}
          {decision.model.digest && <span class="muted"> · {decision.model.digest}</span>}
        </Fact>
        <Fact name="Prediction">
          {decision.prediction.label !== undefined && (
            <strong>{String(decision.prediction.label)}</strong>
          )}
          {decision.prediction.score !== undefined && (
            <> · score {formatNumber(decision.prediction.score)}</>
          )}
          {decision.prediction.value !== undefined && (
            <> · {JSON.stringify(decision.prediction.value)}</>
          )}
        </Fact>
        {decision.confidence !== undefined && (
          <Fact name="Confidence">{formatNumber(decision.confidence)}</Fact>
        )}
        {decision.subject && <Fact name="Subject">{decision.subject.id}</Fact>}
        {decision.input?.ref && <Fact name="Input reference">{decision.input.ref}</Fact>}
        {decision.input?.digest && (
          <Fact name="Input digest">
            <code>{decision.input.digest}</code>
          </Fact>
        )}
        {decision.context?.actor && <Fact name="Decided by">{decision.context.actor}</Fact>}
        {decision.labels && (
          <Fact name="Labels">
            {Object.entries(decision.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}
          </Fact>
        )}
      </dl>
      <h3 class="sub">Rationale</h3>
      <p>{decision.rationale.summary}</p>
      {reasons.length > 0 && (
        <table class="reasons">
          <caption class="visually-hidden">Reason codes</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Weight</th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map((reason) => {
              const entry = catalogue?.[reason.code];
              return (
                <tr key={reason.code}>
                  <td>
                    <code>{reason.code}</code>
                  </td>
                  <td class="num">
                    {reason.weight !== undefined ? formatNumber(reason.weight) : ''}
                  </td>
                  <td>
                    {entry ? entry.text : catalogue ? <em>not in the model's catalogue</em> : null}
                    {entry?.adverse && <span class="tag">adverse</span>}
                    {reason.detail && <span class="muted"> {reason.detail}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {decision.rationale.policy && (
        <p class="muted">
          Policy {decision.rationale.policy.name} {decision.rationale.policy.version}
          {decision.rationale.method && <> · method {decision.rationale.method}</>}
        </p>
      )}
      {(personal !== undefined || decision.input?.features || decision.cohort) && (
        <>
          <h3 class="sub">Personal data</h3>
          {erased ? (
            <p class="erased">
              Erased on {formatTime(personal?.erased_at)} by {personal?.erased_by}:{' '}
              {personal?.fields.map((field) => (
                <span key={field} class="tag erased-field">
                  {fieldName(field)}: erased
                </span>
              ))}
            </p>
          ) : (
            <>
              {personal?.sealed && (
                <p class="muted">Sealed at rest under the subject's key; opened for you.</p>
              )}
              {decision.input?.features && (
                <Details value={decision.input.features} label="Input features" />
              )}
              {decision.cohort && <Details value={decision.cohort} label="Cohort" />}
            </>
          )}
        </>
      )}
    </div>
  );
}

function Fact({ name, children }: { readonly name: string; readonly children: ComponentChildren }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Details({
  value,
  label,
}: {
  readonly value: Readonly<Record<string, unknown>>;
  readonly label?: string;
}) {
  return (
    <dl class="facts details" aria-label={label}>
      {Object.entries(value).map(([k, v]) => (
        <Fact key={k} name={k}>
          {typeof v === 'object' && v !== null ? JSON.stringify(v) : formatNumber(v)}
        </Fact>
      ))}
    </dl>
  );
}

/** A personal field's JSON pointer (`/input/features`) as readers write it (`input.features`). */
function fieldName(pointer: string): string {
  return pointer.replace(/^\//, '').replaceAll('/', '.');
}
