import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite/sqlite-database.js';
import { checkReadStore } from './check-read-store.js';
import { ORIGIN, signedLog } from './fixtures/signed-log.js';

const noSleep = async () => undefined;

describe('the check that a read store holds the log', () => {
  it('accepts the log itself', async () => {
    const log = await signedLog(2);
    await expect(checkReadStore(log.store, log.identity, { sleep: noSleep })).resolves.toBe(
      undefined,
    );
  });

  it('refuses another log: another origin, or another key under the same origin', async () => {
    const log = await signedLog(2);
    const other = await signedLog(2, [2], { seed: new Uint8Array(32).fill(9) });
    await expect(checkReadStore(other.store, log.identity)).rejects.toThrow(
      `the read store holds another log (verifier key ${other.verifierKey}, not ${log.verifierKey})`,
    );
    const elsewhere = openSqliteStore(':memory:');
    await elsewhere.initSetting('origin', 'elsewhere.example/log');
    await expect(checkReadStore(elsewhere, log.identity)).rejects.toThrow(
      `the read store holds another log (origin elsewhere.example/log, not ${ORIGIN})`,
    );
  });

  it('waits for a replica that has not replayed the log settings yet, then gives up', async () => {
    const log = await signedLog(0);
    const replica = openSqliteStore(':memory:');
    let looks = 0;
    const replay = async () => {
      looks += 1;
      if (looks === 2) await replica.initSetting('origin', ORIGIN);
      if (looks === 4) await replica.initSetting('verifier_key', log.verifierKey);
    };
    await checkReadStore(replica, log.identity, { sleep: replay, pollMs: 10 });
    expect(looks).toBe(4);

    const never = openSqliteStore(':memory:');
    await expect(
      checkReadStore(never, log.identity, { sleep: noSleep, waitMs: 100, pollMs: 10 }),
    ).rejects.toThrow(
      'the read store still holds no declog log after 0.1 s: is it a replica of the store ' +
        'appended to, and is it replaying?',
    );
  });
});
