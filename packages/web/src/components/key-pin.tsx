import type { PinnedKeyState } from './use-pinned-key';

/**
 * Trust on first use: the server's verifier key, its fingerprint to compare with one obtained
 * another way (the operator, the docs), and a button to pin it. Once pinned, a different key
 * from the server is shown as a warning and is not used.
 */
export function KeyPin({ keys }: { readonly keys: PinnedKeyState }) {
  if (keys.problem)
    return (
      <p class="notice error" role="alert">
        {keys.problem}
      </p>
    );
  if (!keys.served) return null;
  if (!keys.pinned) {
    return (
      <section class="pin" aria-labelledby="pin-heading">
        <h3 id="pin-heading">Pin the log's verifier key</h3>
        <p>
          Verification needs a key you trust. The server presents <code>{keys.served.name}</code>{' '}
          with fingerprint <code class="fingerprint">{keys.servedFingerprint}</code>. Compare it
          with the fingerprint your operator published, then pin it: this browser will check every
          proof against this key from now on.
        </p>
        <button type="button" onClick={keys.pin}>
          Pin this key
        </button>
      </section>
    );
  }
  if (keys.pinned.text !== keys.served.text) {
    return (
      <section class="pin notice error" role="alert">
        <p>
          The server now presents another verifier key (fingerprint{' '}
          <code class="fingerprint">{keys.servedFingerprint}</code>) than the one you pinned (
          <code class="fingerprint">{keys.pinnedFingerprint}</code>). Proofs are checked against the
          pinned key.
        </p>
        <button type="button" onClick={keys.unpin}>
          Forget the pinned key
        </button>
      </section>
    );
  }
  return null;
}
