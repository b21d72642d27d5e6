import { useEffect, useState } from 'preact/hooks';

export type AsyncState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'error'; readonly error: Error };

/**
 * Runs `load` whenever `key` changes and holds its result; an answer that arrives after the
 * key moved on is dropped, so a slow page never overwrites a newer one.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    load().then(
      (value) => current && setState({ status: 'ok', value }),
      (error: unknown) =>
        current &&
        setState({
          status: 'error',
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    return () => {
      current = false;
    };
    // `load` is a new function on every render; `key` says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  return [state, () => setRound((n) => n + 1)];
}
