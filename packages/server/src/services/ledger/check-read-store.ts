import type { EventStore } from '@declog/core';
import type { LogIdentity } from './log-identity.js';

export interface ReadStoreCheckOptions {
  /** How long a replica of a log created a moment ago gets to replay the log's settings (ms). */
  readonly waitMs?: number;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Refuses a read store that does not hold the log of `identity` (another database, another
 * tenant): the server would sign for one log and serve another's tree, and no proof would
 * verify. Its origin and pinned verifier key must be the log's. A new log's settings may not
 * have reached its replica yet, so an empty one is asked again for a while.
 */
export async function checkReadStore(
  store: EventStore,
  identity: LogIdentity,
  options: ReadStoreCheckOptions = {},
): Promise<void> {
  const waitMs = options.waitMs ?? 10_000;
  const pollMs = options.pollMs ?? 100;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let waited = 0; ; waited += pollMs) {
    let origin: string | null;
    let verifierKey: string | null;
    try {
      origin = await store.setting('origin');
      verifierKey = await store.setting('verifier_key');
    } catch (error) {
      throw new Error(`cannot read the log from the read store: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (origin !== null && origin !== identity.origin) {
      throw new Error(
        `the read store holds another log (origin ${origin}, not ${identity.origin}); ` +
          'it must be a replica of the store appended to',
      );
    }
    if (verifierKey !== null && verifierKey !== identity.verifierKey) {
      throw new Error(
        `the read store holds another log (verifier key ${verifierKey}, not ` +
          `${identity.verifierKey}); it must be a replica of the store appended to`,
      );
    }
    if (origin !== null && verifierKey !== null) return;
    if (waited >= waitMs) {
      throw new Error(
        `the read store still holds no declog log after ${waitMs / 1000} s: ` +
          'is it a replica of the store appended to, and is it replaying?',
      );
    }
    await sleep(pollMs);
  }
}
