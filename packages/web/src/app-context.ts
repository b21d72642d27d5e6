import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api/api-client';
import type { Identity } from './api/identity';

/** The signed-in key, what the server says it is, and the API client that sends it. */
export interface AppState {
  readonly api: Api;
  readonly identity: Identity;
  /** Every tenant, for a key of all tenants; null otherwise. */
  readonly tenants: readonly string[] | null;
  /** Why the reader reads (X-Declog-Purpose), if given at sign-in. */
  readonly purpose: string | null;
  setTenant(tenant: string): void;
  signOut(): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (state === null) throw new Error('useApp outside a signed-in page');
  return state;
}
