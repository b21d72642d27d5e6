import { Link, useLocation } from 'wouter-preact';
import { fillPage } from '../api/fill-page';
import type { Page } from '../api/stored-events';
import { useApp } from '../app-context';
import { ErrorNotice, Loading } from '../components/status-notice';
import { formatTime, isoToLocalInput, localInputToIso } from '../format';
import { useAsync } from '../use-async';
import { useQuery } from '../use-query';

interface AccessEntry {
  readonly seq: number;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly actor: { readonly key_id: string; readonly name: string; readonly role: string };
  readonly action: string;
  readonly method: string;
  readonly route: string;
  readonly target?: Readonly<Record<string, string>>;
  readonly filters?: Readonly<Record<string, string>>;
  readonly records: number;
  readonly status: number;
  readonly purpose?: string;
}

/** The actions docs/api.md lists for the access trail. */
const ACTIONS = [
  'decisions.read',
  'decisions.query',
  'actions.read',
  'log.entry.read',
  'log.entries.read',
  'log.checkpoint.read',
  'log.proof.read',
  'access-log.query',
  'access-log.entry.read',
  'access-log.entries.read',
  'access-log.checkpoint.read',
  'access-log.proof.read',
  'keys.create',
  'keys.list',
  'keys.revoke',
  'tenants.list',
  'policies.masking.read',
  'policies.masking.set',
  'policies.masking.remove',
  'holds.place',
  'holds.list',
  'holds.release',
  'subjects.erase',
  'denied',
] as const;

/** The access trail (auditor, admin): who read or changed what, when and why; filterable. */
export function AccessPage() {
  const { api } = useApp();
  const search = useQuery();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const [page] = useAsync(async () => {
    const query = new URLSearchParams(params);
    query.delete('cursor');
    return fillPage<AccessEntry>(
      (cursor, size) => {
        const q = new URLSearchParams(query);
        q.set('limit', String(size));
        if (cursor !== null) q.set('cursor', cursor);
        return api.json<Page<AccessEntry>>('/v1/access-log', q);
      },
      params.get('cursor'),
      100,
    );
  }, search);
  const withCursor = (cursor: string | null) => {
    const next = new URLSearchParams(params);
    if (cursor === null) next.delete('cursor');
    else next.set('cursor', cursor);
    return `/access${next.size > 0 ? `?${next}` : ''}`;
  };
  return (
    <main id="main" class="page">
      <h1>Access trail</h1>
      <form
        class="filters"
        aria-label="Filter the access trail"
        key={search}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const next = new URLSearchParams();
          const actor = String(form.get('actor') ?? '').trim();
          if (actor) next.set('actor', actor);
          const action = String(form.get('action') ?? '');
          if (action) next.set('action', action);
          for (const name of ['from', 'to']) {
            const value = localInputToIso(String(form.get(name) ?? ''));
            if (value) next.set(name, value);
          }
          navigate(`/access${next.size > 0 ? `?${next}` : ''}`);
        }}
      >
        <div class="field">
          <label for="a-actor">Actor (key id or name)</label>
          <input id="a-actor" name="actor" defaultValue={params.get('actor') ?? ''} />
        </div>
        <div class="field">
          <label for="a-action">Action</label>
          <select id="a-action" name="action">
            <option value="">any</option>
            {ACTIONS.map((action) => (
              <option key={action} value={action} selected={action === params.get('action')}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="a-from">From (your time)</label>
          <input
            id="a-from"
            name="from"
            type="datetime-local"
            step={1}
            defaultValue={isoToLocalInput(params.get('from'))}
          />
        </div>
        <div class="field">
          <label for="a-to">To (your time, exclusive)</label>
          <input
            id="a-to"
            name="to"
            type="datetime-local"
            step={1}
            defaultValue={isoToLocalInput(params.get('to'))}
          />
        </div>
        <div class="form-actions">
          <button type="submit">Apply filters</button>
          <Link href="/access">Clear</Link>
        </div>
      </form>
      {page.status === 'loading' ? (
        <Loading what="the access trail" />
      ) : page.status === 'error' ? (
        <ErrorNotice error={page.error} what="The access trail could not be read" />
      ) : (
        <>
          <div class="table-wrap">
            <table>
              <caption>
                {page.value.items.length} entr{page.value.items.length === 1 ? 'y' : 'ies'}, oldest
                first
              </caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">What</th>
                  <th scope="col">Records</th>
                  <th scope="col">Status</th>
                  <th scope="col">Purpose</th>
                </tr>
              </thead>
              <tbody>
                {page.value.items.map((entry) => (
                  <tr key={entry.seq}>
                    <td>
                      <time dateTime={entry.occurred_at}>{formatTime(entry.occurred_at)}</time>
                    </td>
                    <td>
                      {entry.actor.name} <span class="tag">{entry.actor.role}</span>
                    </td>
                    <td>{entry.action}</td>
                    <td>
                      <code>
                        {entry.method} {entry.route}
                      </code>
                      {entry.target && <> {Object.values(entry.target).join(', ')}</>}
                      {entry.filters && (
                        <span class="muted">
                          {' '}
                          {Object.entries(entry.filters)
                            .map(([k, v]) => `${k}=${v}`)
                            .join(' ')}
                        </span>
                      )}
                    </td>
                    <td class="num">{entry.records}</td>
                    <td class="num">{entry.status}</td>
                    <td>{entry.purpose ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="Pages">
            {params.has('cursor') && <Link href={withCursor(null)}>First page</Link>}
            {page.value.next !== null ? (
              <Link href={withCursor(page.value.next)}>Next page</Link>
            ) : (
              <span class="muted">End of the trail</span>
            )}
          </nav>
        </>
      )}
    </main>
  );
}
