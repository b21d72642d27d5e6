/**
 * The signed-in key, kept in the tab's session storage only: gone when the tab closes, never
 * written to disk by the page, never sent anywhere but this server's API.
 */
export interface Session {
  readonly key: string;
  /** The tenant chosen for a key of all tenants; null acts on the key's own (or `default`). */
  readonly tenant: string | null;
  /** Why the reader reads, sent as X-Declog-Purpose and kept in the access trail; null: none. */
  readonly purpose: string | null;
}

/** What X-Declog-Purpose may hold: the server's limit, in characters a header can carry. */
export const PURPOSE_PATTERN = '[ -~]{0,500}';

const STORAGE_KEY = 'declog.session';

export function loadSession(): Session | null {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<Session>;
    return typeof value.key === 'string'
      ? {
          key: value.key,
          tenant: typeof value.tenant === 'string' ? value.tenant : null,
          purpose: typeof value.purpose === 'string' ? value.purpose : null,
        }
      : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
