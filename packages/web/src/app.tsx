import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter-preact';
import { ApiError, createApi } from './api/api-client';
import { mayRead, type Identity } from './api/identity';
import { clearSession, loadSession, saveSession, type Session } from './api/session';
import { AppContext, useApp, type AppState } from './app-context';
import { Loading } from './components/status-notice';
import { AccessPage } from './pages/access-page';
import { DecisionPage } from './pages/decision-page';
import { DecisionsPage } from './pages/decisions-page';
import { LedgerPage } from './pages/ledger-page';
import { ModelPage } from './pages/model-page';
import { ModelsPage } from './pages/models-page';
import { ReviewPage } from './pages/review-page';
import { SignInPage } from './pages/sign-in-page';
import { pathTail } from './use-query';

type SignedIn = { readonly identity: Identity; readonly tenants: readonly string[] | null };

/** The dashboard: sign-in until a key is given, then the pages its role may read. */
export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const api = useMemo(() => (session ? createApi(session) : null), [session]);

  useEffect(() => {
    if (!api) return;
    let current = true;
    setSignedIn(null);
    void (async () => {
      try {
        const identity = await api.json<Identity>('/v1/me');
        const tenants = identity.all_tenants
          ? (await api.json<{ tenants: { name: string }[] }>('/v1/tenants')).tenants.map(
              (t) => t.name,
            )
          : null;
        if (current) setSignedIn({ identity, tenants });
      } catch (error) {
        if (!current) return;
        clearSession();
        setSession(null);
        setProblem(
          error instanceof ApiError && error.status === 401
            ? 'The server does not know this key (or it was revoked).'
            : error instanceof Error
              ? error.message
              : String(error),
        );
      }
    })();
    return () => {
      current = false;
    };
  }, [api]);

  if (!session || !api) {
    return (
      <SignInPage
        problem={problem}
        onSignIn={(key, purpose) => {
          const next = { key, tenant: null, purpose };
          saveSession(next);
          setProblem(null);
          setSession(next);
        }}
      />
    );
  }
  if (!signedIn) {
    return (
      <main id="main" class="page">
        <Loading what="your key's role" />
      </main>
    );
  }
  const state: AppState = {
    api,
    identity: signedIn.identity,
    tenants: signedIn.tenants,
    purpose: session.purpose,
    setTenant(tenant) {
      const next = { ...session, tenant };
      saveSession(next);
      setSession(next);
    },
    signOut() {
      clearSession();
      setSignedIn(null);
      setSession(null);
    },
  };
  return (
    <AppContext.Provider value={state}>
      <Shell />
    </AppContext.Provider>
  );
}

function Shell() {
  const { identity, tenants, purpose, setTenant, signOut } = useApp();
  const [location] = useLocation();
  const links = [
    { href: '/decisions', label: 'Decisions', show: mayRead(identity, 'decisions') },
    { href: '/review', label: 'Review queue', show: mayRead(identity, 'review') },
    { href: '/models', label: 'Models', show: mayRead(identity, 'decisions') },
    { href: '/ledger', label: 'Ledger', show: mayRead(identity, 'log') },
    { href: '/access', label: 'Access trail', show: mayRead(identity, 'access') },
  ].filter((link) => link.show);
  const current = (href: string) => location === href || location.startsWith(`${href}/`);
  // Each page names the tab after its heading, and after a move to another page the focus goes
  // to that heading, so that a screen reader announces where the reader arrived.
  const arrived = useRef(false);
  useEffect(() => {
    const heading = document.querySelector<HTMLElement>('#main h1');
    if (!heading) return;
    document.title = `${heading.textContent ?? ''} · declog`;
    if (arrived.current) {
      heading.tabIndex = -1;
      heading.focus();
    }
    arrived.current = true;
  }, [location]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/decisions" class="brand">
          declog
        </Link>
        <nav aria-label="Main">
          <ul>
            {links.map((link) => (
              <li key={link.href}>
                <Link href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          {tenants ? (
            <label>
              Tenant{' '}
              <select value={identity.tenant} onChange={(e) => setTenant(e.currentTarget.value)}>
                {tenants.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span>Tenant {identity.tenant}</span>
          )}
          {purpose !== null && <span class="purpose">Purpose: {purpose}</span>}
          <span class="identity">
            {identity.name} <span class="tag">{identity.role}</span>
          </span>
          <button type="button" class="link-button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      {identity.role === 'producer' ? (
        <main id="main" class="page">
          <h1>Nothing to show to a producer key</h1>
          <p>
            This key may only send events. The dashboard reads decisions, so it needs a reviewer,
            auditor or admin key.
          </p>
        </main>
      ) : (
        <Switch>
          <Route path="/decisions" component={DecisionsPage} />
          <Route path="/decisions/:id">{(params) => <DecisionPage id={params.id} />}</Route>
          <Route path="/review" component={mayRead(identity, 'review') ? ReviewPage : Forbidden} />
          <Route path="/models" component={ModelsPage} />
          <Route path="/models/:name">{() => <ModelPage name={pathTail('/models/')} />}</Route>
          <Route path="/ledger" component={mayRead(identity, 'log') ? LedgerPage : Forbidden} />
          <Route path="/access" component={mayRead(identity, 'access') ? AccessPage : Forbidden} />
          <Route>
            <Redirect to="/decisions" replace />
          </Route>
        </Switch>
      )}
    </>
  );
}

function Forbidden() {
  const { identity } = useApp();
  return (
    <main id="main" class="page">
      <h1>Not for a {identity.role} key</h1>
      <p role="alert">
        This page reads what a {identity.role} key may not read: the server would refuse it (and
        record the refusal in the access trail).
      </p>
    </main>
  );
}
