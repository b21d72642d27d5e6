import { useEffect, useRef, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { reviewQueue } from '../api/review-queue';
import { useApp } from '../app-context';
import { ChainTimeline } from '../components/chain-timeline';
import { ErrorNotice, Loading } from '../components/status-notice';
import { formatTime } from '../format';
import { useAsync } from '../use-async';
import { loadChain } from './decision-page';
import { useQuery } from '../use-query';

type Verdict = 'uphold' | 'override';

/**
 * The review queue: decisions whose last action is a human review or an escalation, oldest
 * first (see reviewQueue). From the keyboard alone: read the chain, write a note, uphold or
 * override (keys whose role may record actions), and the next decision comes up.
 */
export function ReviewPage() {
  const { api, identity } = useApp();
  const search = useQuery();
  const [, navigate] = useLocation();
  const model = new URLSearchParams(search).get('model') ?? '';
  const [queue, reload] = useAsync(() => reviewQueue(api, model), search);
  const [done, setDone] = useState<readonly string[]>([]);
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<Error | null>(null);
  const [notes, setNotes] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const noteBox = useRef<HTMLTextAreaElement>(null);

  const items =
    queue.status === 'ok'
      ? queue.value.items.map((chain) => chain.decision).filter((d) => !done.includes(d.id))
      : [];
  const current = items[Math.min(index, items.length - 1)];
  const [chain] = useAsync(
    () => (current ? loadChain(api, current.id) : Promise.resolve(null)),
    `${current?.id ?? ''} ${notes}`,
  );

  useEffect(() => {
    setNote('');
    setProblem(null);
  }, [current?.id]);

  const move = (step: number) => {
    setIndex((i) => Math.max(0, Math.min(items.length - 1, i + step)));
    heading.current?.focus();
  };

  // A reviewer records its own verdicts (override, or uphold as `other`); an admin may too.
  const mayDecide = identity.role === 'admin' || identity.role === 'reviewer';

  const record = async (verdict: Verdict | null) => {
    if (!current || sending || (verdict !== null && !mayDecide)) return;
    const text = note.trim();
    if (verdict === null && text === '') return;
    const now = new Date().toISOString();
    const events: unknown[] = [];
    if (text !== '') {
      events.push({
        type: 'annotation',
        decision_id: current.id,
        occurred_at: now,
        annotation: { text, author: identity.name },
      });
    }
    if (verdict !== null) {
      events.push({
        type: 'action',
        decision_id: current.id,
        occurred_at: now,
        action: {
          kind: verdict === 'override' ? 'override' : 'other',
          name: verdict === 'override' ? 'override' : 'uphold',
          actor: { type: 'human', id: identity.name },
        },
      });
    }
    setSending(true);
    setProblem(null);
    try {
      await api.post('/v1/events', { events });
      if (verdict === null) {
        setAnnouncement(`Note saved on ${current.id}.`);
        setNote('');
        setNotes((n) => n + 1);
      } else {
        setAnnouncement(
          `${verdict === 'override' ? 'Overridden' : 'Upheld'}: ${current.id}. Next decision.`,
        );
        setDone((d) => [...d, current.id]);
        heading.current?.focus();
      }
    } catch (error) {
      setProblem(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setSending(false);
    }
  };

  // Single-key shortcuts, only while no text field has the focus.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (
        target &&
        (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.tagName === 'SELECT')
      )
        return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const actions: Record<string, () => void> = {
        j: () => move(1),
        n: () => move(1),
        k: () => move(-1),
        p: () => move(-1),
        e: () => noteBox.current?.focus(),
        u: () => void record('uphold'),
        o: () => void record('override'),
      };
      const act = actions[event.key];
      if (act) {
        event.preventDefault();
        act();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return (
    <main id="main" class="page review">
      <h1>Review queue</h1>
      <form
        class="filters inline"
        aria-label="Filter the queue"
        onSubmit={(event) => {
          event.preventDefault();
          const value = String(new FormData(event.currentTarget).get('model') ?? '').trim();
          setDone([]);
          setIndex(0);
          navigate(`/review${value ? `?model=${encodeURIComponent(value)}` : ''}`);
        }}
      >
        <div class="field">
          <label for="queue-model">Model</label>
          <input id="queue-model" name="model" defaultValue={model} key={model} />
        </div>
        <button type="submit">Filter</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDone([]);
            setIndex(0);
            reload();
          }}
        >
          Refresh
        </button>
      </form>
      <p class="help" id="shortcuts">
        Keys: <kbd>j</kbd>/<kbd>n</kbd> next, <kbd>k</kbd>/<kbd>p</kbd> previous, <kbd>e</kbd> write
        a note
        {mayDecide && (
          <>
            , <kbd>u</kbd> uphold, <kbd>o</kbd> override
          </>
        )}
        ; in the note, <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves it
        {mayDecide ? ' alone' : ''} and <kbd>Esc</kbd> leaves it. Every button works with Tab and
        Enter too.
      </p>
      {!mayDecide && (
        <p class="help">
          A {identity.role} key adds notes; an uphold or override is an action, which the server
          records from an admin key only.
        </p>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {queue.status === 'loading' ? (
        <Loading what="the queue" />
      ) : queue.status === 'error' ? (
        <ErrorNotice error={queue.error} what="The queue could not be read" />
      ) : items.length === 0 ? (
        <p class="notice" role="status">
          Nothing awaits review{model ? ` for model ${model}` : ''}.
        </p>
      ) : (
        <div class="review-layout">
          <nav aria-label="Decisions awaiting review" class="queue-list">
            <p>
              {items.length}
              {queue.value.more ? '+' : ''} awaiting, oldest first
            </p>
            <ol>
              {items.map((d, i) => (
                <li key={d.id}>
                  <button
                    type="button"
                    class="link-button"
                    aria-current={d === current ? 'true' : undefined}
                    onClick={() => {
                      setIndex(i);
                      heading.current?.focus();
                    }}
                  >
                    {d.id}
                  </button>{' '}
                  <span class="muted">
                    {d.model.name} · {formatTime(d.occurred_at)}
                  </span>
                </li>
              ))}
            </ol>
          </nav>
          {current && (
            <section class="review-item" aria-labelledby="review-heading">
              <h2 id="review-heading" tabIndex={-1} ref={heading}>
                {current.id}{' '}
                <span class="muted">
                  ({items.indexOf(current) + 1} of {items.length})
                </span>
              </h2>
              <p>
                <Link href={`/decisions/${encodeURIComponent(current.id)}`}>
                  Open the decision page
                </Link>{' '}
                (with its verification)
              </p>
              {chain.status === 'loading' ? (
                <Loading what="the chain" />
              ) : chain.status === 'error' ? (
                <ErrorNotice error={chain.error} what="The chain could not be read" />
              ) : chain.value ? (
                <ChainTimeline chain={chain.value.chain} catalogue={chain.value.catalogue} />
              ) : null}
              <form
                class="verdict"
                onSubmit={(event) => {
                  event.preventDefault();
                  void record(null);
                }}
              >
                <label for="review-note">Note (an annotation by {identity.name})</label>
                <textarea
                  id="review-note"
                  ref={noteBox}
                  rows={3}
                  value={note}
                  onInput={(event) => setNote(event.currentTarget.value)}
                  onKeyDown={(event) => {
                    // Escape leaves the note, so that the single-key shortcuts work again.
                    if (event.key === 'Escape') {
                      event.preventDefault();
                      heading.current?.focus();
                    }
                    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                      event.preventDefault();
                      void record(null);
                    }
                  }}
                />
                {problem && <ErrorNotice error={problem} what="Not recorded" />}
                <div class="form-actions">
                  {mayDecide && (
                    <>
                      <button
                        type="button"
                        disabled={sending}
                        onClick={() => void record('uphold')}
                      >
                        Uphold
                      </button>
                      <button
                        type="button"
                        disabled={sending}
                        onClick={() => void record('override')}
                      >
                        Override
                      </button>
                    </>
                  )}
                  <button
                    type="submit"
                    class={mayDecide ? 'secondary' : undefined}
                    disabled={sending || note.trim() === ''}
                  >
                    {mayDecide ? 'Save note only' : 'Save note'}
                  </button>
                  <button type="button" class="secondary" onClick={() => move(1)}>
                    Next
                  </button>
                </div>
              </form>
            </section>
          )}
        </div>
      )}
    </main>
  );
}
