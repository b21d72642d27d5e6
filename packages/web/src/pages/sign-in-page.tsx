import { useState } from 'preact/hooks';

/**
 * Sign-in with an API key. The key stays in this tab's session storage and goes only to this
 * server, as the Authorization header; the form is never submitted anywhere.
 */
export function SignInPage({
  problem,
  onSignIn,
}: {
  readonly problem: string | null;
  readonly onSignIn: (key: string) => void;
}) {
  const [key, setKey] = useState('');
  return (
    <main id="main" class="page sign-in">
      <h1>Sign in to declog</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim() !== '') onSignIn(key.trim());
        }}
      >
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          aria-describedby="api-key-help"
          aria-invalid={problem !== null}
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <p id="api-key-help" class="help">
          A reviewer, auditor or admin key (<code>dlk_…</code>). It is kept in this tab only and
          forgotten when the tab closes.
        </p>
        {problem && (
          <p class="notice error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
