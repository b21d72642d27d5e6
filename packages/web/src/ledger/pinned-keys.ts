/**
 * The verifier key the reader pinned for a server's tenant, trusted from then on: kept in
 * local storage (it is public, and must outlive the tab to be worth pinning). A key the server
 * later presents that differs is shown as such, never silently adopted.
 */
const prefix = (tenant: string) => `declog.pinned-key.${location.host}.${tenant}`;

export function pinnedKeyText(tenant: string): string | null {
  return localStorage.getItem(prefix(tenant));
}

export function pinKey(tenant: string, text: string): void {
  localStorage.setItem(prefix(tenant), text.trim());
}

export function unpinKey(tenant: string): void {
  localStorage.removeItem(prefix(tenant));
}

/** Checkpoints the reader saved, to prove later that the log only grew since. */
export interface SavedCheckpoint {
  readonly text: string;
  readonly size: number;
  readonly savedAt: string;
}

const savedKey = (tenant: string) => `declog.checkpoints.${location.host}.${tenant}`;

export function savedCheckpoints(tenant: string): SavedCheckpoint[] {
  try {
    const value = JSON.parse(localStorage.getItem(savedKey(tenant)) ?? '[]') as unknown;
    return Array.isArray(value)
      ? value.filter(
          (item): item is SavedCheckpoint =>
            typeof item === 'object' &&
            item !== null &&
            typeof (item as SavedCheckpoint).text === 'string' &&
            typeof (item as SavedCheckpoint).size === 'number',
        )
      : [];
  } catch {
    return [];
  }
}

export function saveCheckpoint(tenant: string, checkpoint: SavedCheckpoint): void {
  const all = savedCheckpoints(tenant).filter((item) => item.text !== checkpoint.text);
  localStorage.setItem(savedKey(tenant), JSON.stringify([...all, checkpoint].slice(-20)));
}
