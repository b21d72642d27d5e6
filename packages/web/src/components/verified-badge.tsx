import { useApp } from '../app-context';
import type { ChainWithProofs } from '../ledger/verify-chain';
import { verifyChain } from '../ledger/verify-chain';
import { useAsync } from '../use-async';
import { KeyPin } from './key-pin';
import { usePinnedKey } from './use-pinned-key';

/**
 * "Verified" only when this browser has checked the chain against the pinned key (see
 * verifyChain); otherwise "not verified" and why.
 */
export function VerifiedBadge({ id }: { readonly id: string }) {
  const { api } = useApp();
  const keys = usePinnedKey();
  const pinned = keys.pinned;
  const [result] = useAsync(
    async () => {
      if (!pinned) return null;
      const chain = await api.json<ChainWithProofs>(`/v1/decisions/${encodeURIComponent(id)}`, {
        proof: 'true',
      });
      return verifyChain(chain, pinned, id);
    },
    `${id} ${pinned?.text ?? ''}`,
  );
  return (
    <div class="verification" aria-live="polite">
      <KeyPin keys={keys} />
      {!pinned ? (
        <p class="badge unverified" data-verified="no-key">
          Not verified: no verifier key is pinned yet.
        </p>
      ) : result.status === 'loading' ? (
        <p class="badge pending" role="status">
          Verifying in this browser…
        </p>
      ) : result.status === 'error' ? (
        <p class="badge unverified" data-verified="false">
          <strong>Not verified</strong>: the proofs could not be read ({result.error.message}).
        </p>
      ) : result.value === null ? null : result.value.verified ? (
        <p class="badge verified" data-verified="true">
          <strong>Verified</strong> in this browser: {result.value.events} events, included in the
          log of {result.value.treeSize.toLocaleString()} entries signed by the pinned key{' '}
          <code class="fingerprint">{keys.pinnedFingerprint}</code>.
        </p>
      ) : (
        <p class="badge unverified" data-verified="false">
          <strong>Not verified</strong>: {result.value.why}.
        </p>
      )}
    </div>
  );
}
