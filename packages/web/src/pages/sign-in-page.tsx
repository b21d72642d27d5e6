import { useState } from 'preact/hooks';
import { PURPOSE_PATTERN } from '../api/session';

/**
 * Sign-in with an API key. The key stays in this tab's session storage and goes only to this
 * server, as the Authorization header; the form is never submitted anywhere.
 */
export function SignInPage({
  problem,
  onSignIn,
}: {
  readonly problem: string | null;
  readonly onSignIn: (key: string, purpose: string | null) => void;
}) {
  const [key, setKey] = useState('');
  const [purpose, setPurpose] = useState('');
  return (
    <main id="main" class="page sign-in">
      <h1>Sign in to declog</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim() !== '')
            onSignIn(key.trim(), purpose.trim() === '' ? null : purpose.trim());
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
        <label for="purpose">Purpose (optional)</label>
        <input
          id="purpose"
          name="purpose"
          autoComplete="off"
          maxLength={500}
          pattern={PURPOSE_PATTERN}
          aria-describedby="purpose-help"
          value={purpose}
          onInput={(event) => setPurpose(event.currentTarget.value)}
        />
        <p id="purpose-help" class="help">
          Why you read, such as a complaint or case number: sent with every request and kept in the
          access trail. Up to 500 characters, unaccented letters, digits and punctuation.
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
