import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { keyFingerprint, parseVerifierKey, type VerifierKey } from '../ledger/verifier-key';
import { pinKey, pinnedKeyText, unpinKey } from '../ledger/pinned-keys';

export interface PinnedKeyState {
  /** The key pinned for this tenant, if any, parsed. */
  readonly pinned: VerifierKey | null;
  readonly pinnedFingerprint: string | null;
  /** The key the server presents now (GET /v1/log/key). */
  readonly served: VerifierKey | null;
  readonly servedFingerprint: string | null;
  readonly problem: string | null;
  pin(): void;
  unpin(): void;
}

/** The pinned verifier key of the current tenant and the one the server presents. */
export function usePinnedKey(): PinnedKeyState {
  const { api, identity } = useApp();
  const tenant = identity.tenant;
  const [round, setRound] = useState(0);
  const [state, setState] = useState<Omit<PinnedKeyState, 'pin' | 'unpin'>>({
    pinned: null,
    pinnedFingerprint: null,
    served: null,
    servedFingerprint: null,
    problem: null,
  });
  useEffect(() => {
    let current = true;
    void (async () => {
      let problem: string | null = null;
      let served: VerifierKey | null = null;
      try {
        const parsed = await parseVerifierKey(await api.text('/v1/log/key'));
        if (parsed.ok) served = parsed.key;
        else problem = `the server's verifier key ${parsed.why}`;
      } catch (error) {
        problem = `the server's verifier key could not be read: ${String(error)}`;
      }
      const text = pinnedKeyText(tenant);
      const parsedPin = text === null ? null : await parseVerifierKey(text);
      const pinned = parsedPin?.ok ? parsedPin.key : null;
      if (current) {
        setState({
          pinned,
          pinnedFingerprint: pinned ? await keyFingerprint(pinned) : null,
          served,
          servedFingerprint: served ? await keyFingerprint(served) : null,
          problem,
        });
      }
    })();
    return () => {
      current = false;
    };
  }, [api, tenant, round]);
  return {
    ...state,
    pin() {
      if (state.served) pinKey(tenant, state.served.text);
      setRound((n) => n + 1);
    },
    unpin() {
      unpinKey(tenant);
      setRound((n) => n + 1);
    },
  };
}
