import { Link, useLocation } from 'wouter-preact';
import { fillPage } from '../api/fill-page';
import {
  ACTION_KINDS,
  OUTCOME_STATUSES,
  type Page,
  type StoredDecision,
} from '../api/stored-events';
import { useApp } from '../app-context';
import { DecisionTable } from '../components/decision-table';
import { ErrorNotice, Loading } from '../components/status-notice';
import { isoToLocalInput, localInputToIso } from '../format';
import { useAsync } from '../use-async';
import { useQuery } from '../use-query';

/** The filters of GET /v1/decisions that the form edits (label.KEY and cursor aside). */
const TEXT_FILTERS = ['model', 'model_version', 'reason', 'subject', 'q'] as const;
const PAGE_SIZE = '50';

/**
 * The decisions explorer: every filter of `GET /v1/decisions`, kept in the page's URL (so a
 * view can be shared and restored), paged by the API's cursors.
 */
export function DecisionsPage() {
  const { api } = useApp();
  const search = useQuery();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const limit = Number(params.get('limit') ?? PAGE_SIZE);
  const [page] = useAsync(async () => {
    const query = new URLSearchParams(params);
    query.delete('cursor');
    if (!query.has('limit')) query.set('limit', PAGE_SIZE);
    return fillPage<StoredDecision>(
      (cursor, size) => {
        const q = new URLSearchParams(query);
        q.set('limit', String(size));
        if (cursor !== null) q.set('cursor', cursor);
        return api.json<Page<StoredDecision>>('/v1/decisions', q);
      },
      params.get('cursor'),
      limit,
    );
  }, search);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    for (const name of TEXT_FILTERS) {
      const value = String(form.get(name) ?? '').trim();
      if (value !== '') next.set(name, value);
    }
    for (const name of ['from', 'to'] as const) {
      const value = localInputToIso(String(form.get(name) ?? ''));
      if (value !== '') next.set(name, value);
    }
    for (const name of ['action_kind', 'outcome_status'] as const) {
      const value = String(form.get(name) ?? '');
      if (value !== '') next.set(name, value);
    }
    for (const pair of String(form.get('labels') ?? '').split(',')) {
      const [key, ...rest] = pair.split('=');
      if (key && key.trim() !== '' && rest.length > 0)
        next.set(`label.${key.trim()}`, rest.join('=').trim());
    }
    const size = String(form.get('limit') ?? PAGE_SIZE);
    if (size !== PAGE_SIZE) next.set('limit', size);
    navigate(`/decisions${next.size > 0 ? `?${next}` : ''}`);
  };

  const labels = [...params.entries()]
    .filter(([name]) => name.startsWith('label.'))
    .map(([name, value]) => `${name.slice(6)}=${value}`)
    .join(', ');
  const withCursor = (cursor: string | null) => {
    const next = new URLSearchParams(params);
    if (cursor === null) next.delete('cursor');
    else next.set('cursor', cursor);
    return `/decisions${next.size > 0 ? `?${next}` : ''}`;
  };

  return (
    <main id="main" class="page">
      <h1>Decisions</h1>
      <form class="filters" onSubmit={submit} aria-label="Filter decisions" key={search}>
        <Field name="model" label="Model" value={params.get('model')} />
        <Field name="model_version" label="Model version" value={params.get('model_version')} />
        <Field
          name="from"
          label="From (your time)"
          type="datetime-local"
          value={isoToLocalInput(params.get('from'))}
        />
        <Field
          name="to"
          label="To (your time, exclusive)"
          type="datetime-local"
          value={isoToLocalInput(params.get('to'))}
        />
        <Field name="reason" label="Reason code" value={params.get('reason')} />
        <Choice
          name="action_kind"
          label="Has an action of kind"
          options={ACTION_KINDS}
          value={params.get('action_kind')}
        />
        <Choice
          name="outcome_status"
          label="Has an outcome"
          options={OUTCOME_STATUSES}
          value={params.get('outcome_status')}
        />
        <Field name="subject" label="Subject id" value={params.get('subject')} />
        <Field name="labels" label="Labels (key=value, comma separated)" value={labels} />
        <Field name="q" label="Words in the rationale" type="search" value={params.get('q')} />
        <Choice
          name="limit"
          label="Per page"
          options={['20', '50', '100', '500']}
          value={params.get('limit') ?? PAGE_SIZE}
          required
        />
        <div class="form-actions">
          <button type="submit">Apply filters</button>
          <Link href="/decisions">Clear</Link>
        </div>
      </form>
      {page.status === 'loading' ? (
        <Loading what="decisions" />
      ) : page.status === 'error' ? (
        <ErrorNotice error={page.error} what="The decisions could not be listed" />
      ) : (
        <>
          <DecisionTable
            items={page.value.items}
            caption={
              page.value.items.length === 0
                ? page.value.next
                  ? 'No matching decision in the part of the log searched so far'
                  : 'No matching decision'
                : `${page.value.items.length} decision${page.value.items.length === 1 ? '' : 's'}, newest first`
            }
          />
          <nav class="pager" aria-label="Pages">
            {params.has('cursor') && <Link href={withCursor(null)}>First page</Link>}
            {page.value.next !== null && (
              <Link href={withCursor(page.value.next)}>
                {page.value.items.length < limit ? 'Search further' : 'Next page'}
              </Link>
            )}
            {page.value.next === null && <span class="muted">End of the list</span>}
          </nav>
        </>
      )}
    </main>
  );
}

function Field({
  name,
  label,
  value,
  type = 'text',
}: {
  readonly name: string;
  readonly label: string;
  readonly value: string | null;
  readonly type?: string;
}) {
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <input
        id={`f-${name}`}
        name={name}
        type={type}
        defaultValue={value ?? ''}
        step={type === 'datetime-local' ? 1 : undefined}
      />
    </div>
  );
}

function Choice({
  name,
  label,
  options,
  value,
  required = false,
}: {
  readonly name: string;
  readonly label: string;
  readonly options: readonly string[];
  readonly value: string | null;
  readonly required?: boolean;
}) {
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      {/* Preact has no defaultValue on a select: the option says it is selected. */}
      <select id={`f-${name}`} name={name}>
        {!required && <option value="">any</option>}
        {options.map((option) => (
          <option key={option} value={option} selected={option === value}>
            {option.replace('_', ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}
