import {
  DEFAULT_TENANT,
  StoredWrappedKey,
  rewrapPseudonymKey,
  rewrapSubjectKey,
  startMasterKeyRotation,
  unwrapMasterKey,
  wrapPseudonymKey,
  wrappingKeyIds,
  type GovernanceStore,
  type MasterKey,
  type MasterKeyRotation,
  type SubjectKeyRecord,
  type WrappedKeyChange,
} from '@declog/core';
import { PSEUDONYM_KEY_SETTING, isClearPseudonymKey } from '../governance/pseudonym-keys.js';
import {
  MASTER_KEY_ID_SETTING,
  MASTER_KEY_ROTATION_SETTING,
  readMasterKeyState,
} from './master-key-state.js';

/** What a rotation did, for the command to print. */
export interface RotationSummary {
  readonly from: string;
  readonly to: string;
  /** True when this run finished a rotation that an earlier run began. */
  readonly resumed: boolean;
  /** Subject keys this run wrapped under the new key. */
  readonly rewrapped: number;
  /** Subject keys an earlier, interrupted run had wrapped under the new key already. */
  readonly already_done: number;
  /** Subjects erased before the rotation reached them: their keys are gone, nothing to wrap. */
  readonly erased_skipped: number;
  /** Tenants' pseudonym keys, all wrapped by the new key now. */
  readonly pseudonym_keys: number;
}

/** Where a rotation is, after each batch of subject keys it has stored. */
export interface RotationProgress {
  readonly stage: MasterKeyRotation['stage'];
  /** Subject key records this stage has gone through so far. */
  readonly subject_keys: number;
}

export interface RotateOptions {
  /** Subject keys read and written per transaction (default 500). */
  readonly batchSize?: number;
  /** Called after each stored batch: progress, and a way for tests to stop a run mid-way. */
  readonly onBatch?: (progress: RotationProgress) => void;
}

interface PassCounts {
  rewrapped: number;
  already: number;
  erased: number;
  pseudonymKeys: number;
}

interface PassKeys {
  readonly newKey: MasterKey;
  readonly from: readonly MasterKey[];
  readonly to: readonly MasterKey[];
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Moves the database from its master key to `newKey`: every live subject key and every
 * tenant's pseudonym key, of every tenant, in batches. It first wraps each under both keys
 * (servers may then run with either), then makes the new key the one in force and drops the
 * old wrappings; the stage reached is recorded in the database (see MasterKeyRotation), so a
 * run that stops anywhere is finished by running it again with the same new key. `oldKey` is
 * called only when a rotation begins: one under way keeps the old key wrapped by the new.
 * Meant to run while no server of the database runs (new keys a server makes meanwhile may be
 * wrapped under the old key alone after the rotation has passed them).
 */
export async function rotateMasterKey(
  governance: GovernanceStore,
  keys: { readonly newKey: MasterKey; readonly oldKey: () => MasterKey },
  options: RotateOptions = {},
): Promise<RotationSummary> {
  const { newKey } = keys;
  const state = await readMasterKeyState(governance);
  let rotation = state.rotation;
  let rotationText = state.rotationText;
  let oldKey: MasterKey;
  if (rotation === null) {
    if (state.pinned === null) {
      throw new Error('this database has no master key yet: there is nothing to rotate');
    }
    if (state.pinned === newKey.id) {
      throw new Error(`master key ${newKey.id} is this database's key already`);
    }
    oldKey = keys.oldKey();
    if (oldKey.id !== state.pinned) {
      throw new Error(`master key ${oldKey.id} is not this database's (${state.pinned})`);
    }
    rotation = startMasterKeyRotation(oldKey, newKey);
    rotationText = JSON.stringify(rotation);
    await replaceRotation(governance, null, rotationText);
  } else {
    if (rotation.to !== newKey.id) {
      throw new Error(
        `a rotation from master key ${rotation.from} to ${rotation.to} is unfinished: ` +
          'finish it first, with that key as the new key',
      );
    }
    const old = unwrapMasterKey(newKey, rotation.old_key, rotation.from);
    if (!old.ok) throw new Error(`the old master key does not unwrap: ${old.reason}`);
    oldKey = old.key;
  }
  const from = [oldKey];
  let added: PassCounts | null = null;
  if (rotation.stage === 'add-new') {
    added = await rewrapAll(governance, { newKey, from, to: [newKey, oldKey] }, 'add-new', options);
    const next = JSON.stringify({ ...rotation, stage: 'drop-old' });
    await replaceRotation(governance, rotationText, next);
    rotationText = next;
  }
  const dropped = await rewrapAll(governance, { newKey, from, to: [newKey] }, 'drop-old', options);
  await governance.putTenantSetting(DEFAULT_TENANT, MASTER_KEY_ID_SETTING, newKey.id);
  await replaceRotation(governance, rotationText, null);
  const first = added ?? dropped;
  return {
    from: oldKey.id,
    to: newKey.id,
    resumed: state.rotation !== null,
    rewrapped: first.rewrapped + (added ? dropped.rewrapped : 0),
    already_done: first.already,
    erased_skipped: first.erased,
    pseudonym_keys: dropped.pseudonymKeys,
  };
}

async function replaceRotation(
  governance: GovernanceStore,
  expected: string | null,
  next: string | null,
): Promise<void> {
  const replaced = await governance.replaceTenantSetting(
    DEFAULT_TENANT,
    MASTER_KEY_ROTATION_SETTING,
    expected,
    next,
  );
  if (!replaced) throw new Error('another master key rotation of this database is running');
}

/** One stage: every stored key wrapped under exactly `keys.to`. */
async function rewrapAll(
  governance: GovernanceStore,
  keys: PassKeys,
  stage: MasterKeyRotation['stage'],
  options: RotateOptions,
): Promise<PassCounts> {
  const counts: PassCounts = { rewrapped: 0, already: 0, erased: 0, pseudonymKeys: 0 };
  let seen = 0;
  let after: SubjectKeyRecord | null = null;
  for (;;) {
    const page = await governance.subjectKeyPage(after, options.batchSize ?? DEFAULT_BATCH_SIZE);
    if (page.length === 0) break;
    await rewrapBatch(governance, page, keys, counts);
    seen += page.length;
    after = page[page.length - 1] as SubjectKeyRecord;
    options.onBatch?.({ stage, subject_keys: seen });
  }
  for (const [tenant, text] of await governance.settingOfEveryTenant(PSEUDONYM_KEY_SETTING)) {
    const next = rewrapStoredPseudonymKey(tenant, text, keys);
    if (next !== text) {
      const replaced = await governance.replaceTenantSetting(
        tenant,
        PSEUDONYM_KEY_SETTING,
        text,
        next,
      );
      if (!replaced) throw new Error(`the pseudonym key of tenant ${tenant} changed meanwhile`);
    }
    counts.pseudonymKeys += 1;
  }
  return counts;
}

/**
 * Rewraps a batch of subject keys in one transaction. A record that changed in between (an
 * erasure, a writer) is read again and tried again.
 */
async function rewrapBatch(
  governance: GovernanceStore,
  records: readonly SubjectKeyRecord[],
  keys: PassKeys,
  counts: PassCounts,
): Promise<void> {
  let pending = records;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > 3) throw new Error('subject keys kept changing during the rotation');
    const changes: { readonly change: WrappedKeyChange; readonly hadNew: boolean }[] = [];
    for (const record of pending) {
      if (record.wrappedKey === null) {
        counts.erased += 1;
        continue;
      }
      const { stored, next } = rewrapStoredSubjectKey(record, record.wrappedKey, keys);
      const hadNew = wrappingKeyIds(stored).includes(keys.newKey.id);
      if (next === null) {
        counts[hadNew ? 'already' : 'rewrapped'] += 1;
        continue;
      }
      const { tenant, subject } = record;
      changes.push({
        change: { tenant, subject, expected: record.wrappedKey, wrappedKey: next },
        hadNew,
      });
    }
    const replaced = await governance.replaceWrappedKeys(changes.map((c) => c.change));
    const missed: SubjectKeyRecord[] = [];
    for (const [i, { change, hadNew }] of changes.entries()) {
      if (replaced[i]) {
        counts[hadNew ? 'already' : 'rewrapped'] += 1;
        continue;
      }
      const now = await governance.subjectKey(change.tenant, change.subject);
      if (now !== null) missed.push(now);
    }
    pending = missed;
  }
}

function rewrapStoredSubjectKey(
  record: SubjectKeyRecord,
  text: string,
  keys: PassKeys,
): { readonly stored: StoredWrappedKey; readonly next: string | null } {
  const owner = `subject ${record.subject} of tenant ${record.tenant}`;
  const parsed = StoredWrappedKey.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`the stored key of ${owner} is malformed`);
  const context = { tenant: record.tenant, subject: record.subject };
  const rewrapped = rewrapSubjectKey(parsed.data, context, { from: keys.from, to: keys.to });
  if (!rewrapped.ok) throw new Error(`the key of ${owner} does not unwrap: ${rewrapped.reason}`);
  return {
    stored: parsed.data,
    next: rewrapped.record === parsed.data ? null : JSON.stringify(rewrapped.record),
  };
}

/** The stored text of a pseudonym key wrapped under `keys.to`; a clear one is wrapped now. */
function rewrapStoredPseudonymKey(tenant: string, text: string, keys: PassKeys): string {
  if (isClearPseudonymKey(text)) {
    const key = new Uint8Array(Buffer.from(text, 'base64'));
    return JSON.stringify(wrapPseudonymKey(keys.to, key, tenant));
  }
  const parsed = StoredWrappedKey.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`the pseudonym key of tenant ${tenant} is malformed`);
  const rewrapped = rewrapPseudonymKey(parsed.data, tenant, { from: keys.from, to: keys.to });
  if (!rewrapped.ok) {
    throw new Error(`the pseudonym key of tenant ${tenant} does not unwrap: ${rewrapped.reason}`);
  }
  return rewrapped.record === parsed.data ? text : JSON.stringify(rewrapped.record);
}
