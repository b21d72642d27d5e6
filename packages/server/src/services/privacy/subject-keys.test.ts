import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseMasterKey,
  singleKeyRing,
  wrapSubjectKey,
  type LogDatabase,
  type MasterKey,
} from '@declog/core';
import { openSqliteDatabase } from '../../store/sqlite/sqlite-database.js';
import { subjectKeys, type SubjectKeyState } from './subject-keys.js';

const now = () => new Date('2026-11-27T12:00:00Z');
const hex = (state: SubjectKeyState | undefined) =>
  state?.ok ? Buffer.from(state.key).toString('hex') : null;

function freshKey(): MasterKey {
  const parsed = parseMasterKey(randomBytes(32).toString('hex'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.key;
}

/** `master`, counting its uses: one per record unwrapped. */
function countingKey(master: MasterKey): { key: MasterKey; uses(): number } {
  let uses = 0;
  const key = {
    id: master.id,
    get bytes() {
      uses += 1;
      return master.bytes;
    },
  };
  return { key, uses: () => uses };
}

let database: LogDatabase;
let master: MasterKey;
beforeEach(() => {
  database = openSqliteDatabase(':memory:');
  master = freshKey();
});
afterEach(() => database.close());

describe('subjectKeys', () => {
  it('makes one key per new subject, stores it wrapped, and gives the same key afterwards', async () => {
    const keys = subjectKeys(database.governance, singleKeyRing(master), now);
    const made = await keys.keysFor('acme', ['s1', 's2', 's1']);
    expect([...made.keys()]).toEqual(['s1', 's2']);
    expect(hex(made.get('s1'))).not.toBe(hex(made.get('s2')));
    const record = await database.governance.subjectKey('acme', 's1');
    expect(record?.wrappedKey).not.toContain(hex(made.get('s1')));
    // A fresh instance (another server) unwraps the stored record to the same key.
    const elsewhere = subjectKeys(database.governance, singleKeyRing(master), now);
    const again = await elsewhere.existingKeys('acme', ['s1', 's2', 's3']);
    expect(hex(again.get('s1'))).toBe(hex(made.get('s1')));
    expect(hex(again.get('s2'))).toBe(hex(made.get('s2')));
    expect(again.has('s3')).toBe(false);
    expect(hex((await keys.keysFor('acme', ['s1'])).get('s1'))).toBe(hex(made.get('s1')));
  });

  it('takes the key another writer stored first, not the one it made', async () => {
    const theirs = new Uint8Array(randomBytes(32));
    const keys = subjectKeys(database.governance, singleKeyRing(master), now);
    const governance = database.governance;
    // The other writer's key lands between this instance's lookup and its insert.
    const racing = {
      ...governance,
      subjectKeys: async (tenant: string, subjects: readonly string[]) => {
        const found = await governance.subjectKeys(tenant, subjects);
        await governance.initSubjectKeys(
          tenant,
          [
            {
              subject: 's1',
              wrappedKey: JSON.stringify(wrapSubjectKey(master, theirs, { tenant, subject: 's1' })),
            },
          ],
          now().toISOString(),
        );
        return found;
      },
    };
    const raced = subjectKeys(racing, singleKeyRing(master), now);
    const states = await raced.keysFor('acme', ['s1']);
    expect(hex(states.get('s1'))).toBe(Buffer.from(theirs).toString('hex'));
    expect(hex((await keys.existingKeys('acme', ['s1'])).get('s1'))).toBe(
      Buffer.from(theirs).toString('hex'),
    );
  });

  it('answers an erasure made anywhere at the next lookup, though the key was unwrapped before', async () => {
    const keys = subjectKeys(database.governance, singleKeyRing(master), now);
    await keys.keysFor('acme', ['s1']);
    expect((await keys.existingKeys('acme', ['s1'])).get('s1')?.ok).toBe(true);
    await database.governance.eraseSubjectKey('acme', 's1', '2026-11-27T13:00:00Z', 'admin:1');
    const erased = (await keys.existingKeys('acme', ['s1'])).get('s1');
    expect(erased).toEqual({
      ok: false,
      erasure: { erased_at: '2026-11-27T13:00:00Z', erased_by: 'admin:1' },
    });
    expect((await keys.keysFor('acme', ['s1'])).get('s1')?.ok).toBe(false);
  });

  it('unwraps again when the stored record changes, and refuses one that does not unwrap', async () => {
    const keys = subjectKeys(database.governance, singleKeyRing(master), now, 1);
    const first = hex((await keys.keysFor('acme', ['s1'])).get('s1'));
    await keys.keysFor('acme', ['s2']);
    expect(hex((await keys.existingKeys('acme', ['s1'])).get('s1'))).toBe(first);
    // A record replaced under another master key (a rotation this server has no key for).
    const other = freshKey();
    const record = await database.governance.subjectKey('acme', 's1');
    const changed = await database.governance.replaceWrappedKeys([
      {
        tenant: 'acme',
        subject: 's1',
        expected: record?.wrappedKey ?? '',
        wrappedKey: JSON.stringify(
          wrapSubjectKey(other, new Uint8Array(32), { tenant: 'acme', subject: 's1' }),
        ),
      },
    ]);
    expect(changed).toEqual([true]);
    await expect(keys.existingKeys('acme', ['s1'])).rejects.toThrow(/does not unwrap/);
  });

  it('keeps a key from its second miss: a subject read once is not kept', async () => {
    await subjectKeys(database.governance, singleKeyRing(master), now).keysFor('acme', ['s1']);
    const counting = countingKey(master);
    const keys = subjectKeys(database.governance, singleKeyRing(counting.key), now);
    const counts: number[] = [];
    for (let read = 0; read < 4; read += 1) {
      await keys.existingKeys('acme', ['s1']);
      counts.push(counting.uses());
    }
    expect(counts).toEqual([1, 2, 2, 2]);
  });

  it('keeps the unwrapping of the most recently used records, as many as it is told', async () => {
    const subjects = ['s0', 's1', 's2', 's3', 's4', 's5'];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 4 }),
        fc.array(
          fc.tuple(fc.constantFrom('use', 'use', 'use', 'erase'), fc.constantFrom(...subjects)),
          {
            maxLength: 60,
          },
        ),
        async (cacheSize, actions) => {
          const tenant = `t${run++}`;
          await subjectKeys(database.governance, singleKeyRing(master), now).keysFor(
            tenant,
            subjects,
          );
          const counting = countingKey(master);
          const keys = subjectKeys(
            database.governance,
            singleKeyRing(counting.key),
            now,
            cacheSize,
          );
          // Least recently used first; and the subjects missed once since the last clearing.
          const model: string[] = [];
          const missed = new Set<string>();
          const erased = new Set<string>();
          let expected = 0;
          for (const [action, subject] of actions) {
            if (action === 'erase') {
              await database.governance.eraseSubjectKey(
                tenant,
                subject,
                '2026-11-28T00:00:00Z',
                'a',
              );
              erased.add(subject);
            }
            const state = (await keys.existingKeys(tenant, [subject])).get(subject);
            expect(state?.ok).toBe(!erased.has(subject));
            const cached = model.includes(subject);
            if (cached) model.splice(model.indexOf(subject), 1);
            if (erased.has(subject)) {
              // Dropped from the cache, if it was there.
            } else if (cached) model.push(subject);
            else {
              expected += 1;
              if (missed.delete(subject)) model.push(subject);
              else {
                missed.add(subject);
                if (missed.size > cacheSize) missed.clear();
              }
            }
            if (model.length > cacheSize) model.shift();
            expect({ action, subject, unwraps: counting.uses() }).toEqual({
              action,
              subject,
              unwraps: expected,
            });
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
