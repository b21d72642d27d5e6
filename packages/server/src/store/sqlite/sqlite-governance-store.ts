import type Database from 'better-sqlite3';
import type {
  AccessDetailsRecord,
  AddKeyResult,
  ApiKeyRecord,
  GovernanceStore,
  SubjectKeyRecord,
  TenantRecord,
  WrappedKeyChange,
} from '@declog/core';
import { asBuffer } from '../stored-records.js';
import {
  toHold,
  toKey,
  newSubjectKey,
  toSubjectKey,
  type HoldRow,
  type KeyRow,
  type SubjectRow,
} from '../governance-records.js';

/**
 * Tenants, API keys and tenant settings in SQLite. `readonly` databases (and files from
 * before these tables) answer as if empty and refuse writes.
 */
export function sqliteGovernanceStore(
  db: Database.Database,
  options: { readonly readonly: boolean },
): GovernanceStore {
  if (options.readonly && !hasTable(db, 'api_keys')) return emptyGovernance();
  const insertTenant = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO tenants (name, created_at) VALUES (?, ?)',
  );
  const tenantByName = db.prepare<[string], { name: string; created_at: string }>(
    'SELECT name, created_at FROM tenants WHERE name = ?',
  );
  const allTenants = db.prepare<[], { name: string; created_at: string }>(
    'SELECT name, created_at FROM tenants ORDER BY name',
  );
  const insertKey = db.prepare<
    [string, string, string, string | null, Buffer, string, string | null]
  >(
    'INSERT INTO api_keys (id, name, role, tenant, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const deleteKey = db.prepare<[string]>('DELETE FROM api_keys WHERE id = ?');
  const keyById = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?');
  const allKeys = db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY rowid');
  const tenantKeys = db.prepare<[string], KeyRow>(
    'SELECT * FROM api_keys WHERE tenant = ? ORDER BY rowid',
  );
  const revoke = db.prepare<[string, string]>(
    'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const getSetting = db.prepare<[string, string], { value: string }>(
    'SELECT value FROM tenant_settings WHERE tenant = ? AND key = ?',
  );
  const putSetting = db.prepare<[string, string, string]>(
    'INSERT INTO tenant_settings (tenant, key, value) VALUES (?, ?, ?) ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value',
  );
  const initSetting = db.prepare<[string, string, string]>(
    'INSERT OR IGNORE INTO tenant_settings (tenant, key, value) VALUES (?, ?, ?)',
  );
  const updateSetting = db.prepare<[string, string, string, string]>(
    'UPDATE tenant_settings SET value = ? WHERE tenant = ? AND key = ? AND value = ?',
  );
  const deleteSetting = db.prepare<[string, string, string]>(
    'DELETE FROM tenant_settings WHERE tenant = ? AND key = ? AND value = ?',
  );
  const settingByTenant = db.prepare<[string], { tenant: string; value: string }>(
    'SELECT tenant, value FROM tenant_settings WHERE key = ? ORDER BY tenant',
  );
  // Prepared on first use: a database of an older schema, opened read-only, lacks the table.
  let subjects: ReturnType<typeof prepareSubjects> | null = null;
  const subjectStatements = () => (subjects ??= prepareSubjects(db));
  const keyArgs = (key: ApiKeyRecord) =>
    [
      key.id,
      key.name,
      key.role,
      key.tenant,
      asBuffer(key.secretHash),
      key.createdAt,
      key.revokedAt,
    ] as const;
  // A live key whose name a new key would share in some tenant (see GovernanceStore.addKey).
  const nameHolder = db
    .prepare<[string, string | null, string | null], string>(
      `SELECT id FROM api_keys WHERE revoked_at IS NULL AND name = ?
          AND (tenant IS ? OR tenant IS NULL OR ? IS NULL) ORDER BY rowid LIMIT 1`,
    )
    .pluck();
  const addKey = db.transaction((key: ApiKeyRecord): AddKeyResult => {
    const holder =
      key.revokedAt === null ? nameHolder.get(key.name, key.tenant, key.tenant) : undefined;
    if (holder !== undefined) return { added: false, nameTakenBy: holder };
    insertKey.run(...keyArgs(key));
    return { added: true };
  });
  const details = hasTable(db, 'access_details') ? accessDetailStatements(db) : null;
  const detailStatements = () => {
    if (!details) throw new Error('this database has no access details table; run declog migrate');
    return details;
  };
  const replaceKey = db.transaction((key: ApiKeyRecord) => {
    deleteKey.run(key.id);
    insertKey.run(...keyArgs(key));
  });

  return {
    async addTenant(tenant: TenantRecord) {
      return insertTenant.run(tenant.name, tenant.createdAt).changes === 1;
    },
    async tenant(name) {
      const row = tenantByName.get(name);
      return row ? { name: row.name, createdAt: row.created_at } : null;
    },
    async tenants() {
      return allTenants.all().map((row) => ({ name: row.name, createdAt: row.created_at }));
    },
    async addKey(key) {
      return addKey.immediate(key);
    },
    async putKey(key) {
      replaceKey.immediate(key);
    },
    async keyById(id) {
      const row = keyById.get(id);
      return row ? toKey(row) : null;
    },
    async keys(tenant) {
      return (tenant === undefined ? allKeys.all() : tenantKeys.all(tenant)).map(toKey);
    },
    async revokeKey(id, at) {
      return revoke.run(at, id).changes === 1;
    },
    async tenantSetting(tenant, key) {
      return getSetting.get(tenant, key)?.value ?? null;
    },
    async putTenantSetting(tenant, key, value) {
      putSetting.run(tenant, key, value);
    },
    async initTenantSetting(tenant, key, value) {
      initSetting.run(tenant, key, value);
      return getSetting.get(tenant, key)?.value ?? value;
    },
    async replaceTenantSetting(tenant, key, expected, value) {
      if (expected === null) {
        return value === null
          ? getSetting.get(tenant, key) === undefined
          : initSetting.run(tenant, key, value).changes === 1;
      }
      const changed =
        value === null
          ? deleteSetting.run(tenant, key, expected)
          : updateSetting.run(value, tenant, key, expected);
      return changed.changes === 1;
    },
    async settingOfEveryTenant(key) {
      return new Map(settingByTenant.all(key).map((row) => [row.tenant, row.value]));
    },
    async subjectKey(tenant, subject) {
      const row = subjectStatements().get.get(tenant, subject);
      return row ? toSubjectKey(row) : null;
    },
    async subjectKeys(tenant, subjects) {
      const found = new Map<string, SubjectKeyRecord>();
      for (const row of subjectStatements().getMany.all(tenant, JSON.stringify(subjects))) {
        found.set(row.subject, toSubjectKey(row));
      }
      return found;
    },
    async initSubjectKeys(tenant, keys, at) {
      const statements = subjectStatements();
      const inserted = statements.initMany.immediate(tenant, keys, at);
      const found = new Map<string, SubjectKeyRecord>();
      const others: string[] = [];
      for (const key of keys) {
        if (!inserted.has(key.subject)) others.push(key.subject);
        else found.set(key.subject, newSubjectKey(tenant, key.subject, key.wrappedKey, at));
      }
      // Only the subjects another writer had a record for are read back.
      if (others.length > 0) {
        for (const row of statements.getMany.all(tenant, JSON.stringify(others))) {
          found.set(row.subject, toSubjectKey(row));
        }
      }
      return found;
    },
    async initSubjectKey(tenant, subject, wrappedKey, at) {
      const statements = subjectStatements();
      statements.init.run(tenant, subject, wrappedKey, at);
      return toSubjectKey(statements.get.get(tenant, subject) as SubjectRow);
    },
    async subjectKeyPage(after, limit) {
      const statements = subjectStatements();
      const rows =
        after === null
          ? statements.firstPage.all(limit)
          : statements.nextPage.all(after.tenant, after.subject, limit);
      return rows.map(toSubjectKey);
    },
    async replaceWrappedKeys(changes) {
      return subjectStatements().replaceMany.immediate(changes);
    },
    async erasureEpoch(tenant) {
      return subjectStatements().epoch.get(tenant) ?? 0;
    },
    async eraseSubjectKey(tenant, subject, at, by) {
      const statements = subjectStatements();
      return statements.erase.immediate(tenant, subject, at, by);
    },
    async putAccessDetails(records) {
      if (records.length > 0) detailStatements().put.immediate(records);
    },
    async accessDetails(tenant, entryIds) {
      if (entryIds.length === 0 || !details) return new Map();
      const rows = details.get.all(tenant, JSON.stringify(entryIds));
      return new Map(rows.map((row) => [row.entry_id, row.details]));
    },
    async deleteAccessDetails(tenant, target) {
      return detailStatements().remove.immediate(tenant, target);
    },
    async addHold(hold) {
      subjectStatements().addHold.run(
        hold.id,
        hold.tenant,
        hold.kind,
        hold.target,
        hold.reason,
        hold.placedAt,
        hold.placedBy,
      );
    },
    async holds(tenant, options = {}) {
      const statements = subjectStatements();
      const rows = options.standing
        ? statements.standingHolds.all(tenant)
        : statements.allHolds.all(tenant);
      return rows.map(toHold);
    },
    async releaseHold(tenant, id, at, by) {
      return subjectStatements().releaseHold.run(at, by, tenant, id).changes === 1;
    },
  };
}

/** Access entries' personal details and the subjects each concerns (migration 10). */
function accessDetailStatements(db: Database.Database) {
  const insert = db.prepare<[string, string, string, string]>(
    'INSERT OR IGNORE INTO access_details (tenant, entry_id, recorded_at, details) VALUES (?, ?, ?, ?)',
  );
  const link = db.prepare<[string, string, string, string]>(
    'INSERT OR IGNORE INTO access_subjects (tenant, subject, entry_id, recorded_at) VALUES (?, ?, ?, ?)',
  );
  const get = db.prepare<[string, string], { entry_id: string; details: string }>(
    `SELECT entry_id, details FROM access_details
      WHERE tenant = ? AND entry_id IN (SELECT value FROM json_each(?))`,
  );
  const bySubject = db.prepare<[string, string, string]>(
    `DELETE FROM access_details WHERE tenant = ? AND entry_id IN
       (SELECT entry_id FROM access_subjects WHERE tenant = ? AND subject = ?)`,
  );
  const unlinkSubject = db.prepare<[string, string]>(
    'DELETE FROM access_subjects WHERE tenant = ? AND subject = ?',
  );
  const before = db.prepare<[string, string]>(
    'DELETE FROM access_details WHERE tenant = ? AND recorded_at < ?',
  );
  const unlinkBefore = db.prepare<[string, string]>(
    'DELETE FROM access_subjects WHERE tenant = ? AND recorded_at < ?',
  );
  const put = db.transaction((records: readonly AccessDetailsRecord[]) => {
    for (const record of records) {
      insert.run(record.tenant, record.entryId, record.recordedAt, record.details);
      for (const subject of new Set(record.subjects)) {
        link.run(record.tenant, subject, record.entryId, record.recordedAt);
      }
    }
  });
  const remove = db.transaction(
    (tenant: string, target: { readonly subject: string } | { readonly before: string }) => {
      if ('subject' in target) {
        const deleted = bySubject.run(tenant, tenant, target.subject).changes;
        unlinkSubject.run(tenant, target.subject);
        return deleted;
      }
      const deleted = before.run(tenant, target.before).changes;
      unlinkBefore.run(tenant, target.before);
      return deleted;
    },
  );
  return { put, get, remove };
}

function prepareSubjects(db: Database.Database) {
  const get = db.prepare<[string, string], SubjectRow>(
    'SELECT * FROM subject_keys WHERE tenant = ? AND subject = ?',
  );
  const init = db.prepare<[string, string, string, string]>(
    'INSERT OR IGNORE INTO subject_keys (tenant, subject, wrapped_key, created_at) VALUES (?, ?, ?, ?)',
  );
  const tombstone = db.prepare<[string, string, string, string, string]>(
    'INSERT OR IGNORE INTO subject_keys (tenant, subject, wrapped_key, created_at, erased_at, erased_by) VALUES (?, ?, NULL, ?, ?, ?)',
  );
  const destroy = db.prepare<[string, string, string, string]>(
    `UPDATE subject_keys SET wrapped_key = NULL, erased_at = ?, erased_by = ?
      WHERE tenant = ? AND subject = ? AND wrapped_key IS NOT NULL`,
  );
  const bumpEpoch = db.prepare<[string]>(
    'UPDATE tenants SET erasure_epoch = erasure_epoch + 1 WHERE name = ?',
  );
  const epoch = db
    .prepare<[string], number>('SELECT erasure_epoch FROM tenants WHERE name = ?')
    .pluck();
  const erase = db.transaction((tenant: string, subject: string, at: string, by: string) => {
    const destroyed = destroy.run(at, by, tenant, subject).changes === 1;
    tombstone.run(tenant, subject, at, at, by);
    // Keys read before this moment may no longer seal: an append checks the epoch.
    bumpEpoch.run(tenant);
    return destroyed;
  });
  const holdColumns =
    'id, tenant, kind, target, reason, placed_at, placed_by, released_at, released_by';
  const addHold = db.prepare<[string, string, string, string, string, string, string]>(
    'INSERT INTO legal_holds (id, tenant, kind, target, reason, placed_at, placed_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const allHolds = db.prepare<[string], HoldRow>(
    `SELECT ${holdColumns} FROM legal_holds WHERE tenant = ? ORDER BY rowid`,
  );
  const standingHolds = db.prepare<[string], HoldRow>(
    `SELECT ${holdColumns} FROM legal_holds WHERE tenant = ? AND released_at IS NULL ORDER BY rowid`,
  );
  const releaseHold = db.prepare<[string, string, string, string]>(
    `UPDATE legal_holds SET released_at = ?, released_by = ?
      WHERE tenant = ? AND id = ? AND released_at IS NULL`,
  );
  const getMany = db.prepare<[string, string], SubjectRow>(
    'SELECT * FROM subject_keys WHERE tenant = ? AND subject IN (SELECT value FROM json_each(?))',
  );
  /** Inserts the keys of subjects without a record; returns the subjects inserted. */
  const initMany = db.transaction(
    (tenant: string, keys: readonly { subject: string; wrappedKey: string }[], at: string) => {
      const inserted = new Set<string>();
      for (const key of keys) {
        if (init.run(tenant, key.subject, key.wrappedKey, at).changes === 1) {
          inserted.add(key.subject);
        }
      }
      return inserted;
    },
  );
  const firstPage = db.prepare<[number], SubjectRow>(
    'SELECT * FROM subject_keys ORDER BY tenant, subject LIMIT ?',
  );
  const nextPage = db.prepare<[string, string, number], SubjectRow>(
    'SELECT * FROM subject_keys WHERE (tenant, subject) > (?, ?) ORDER BY tenant, subject LIMIT ?',
  );
  const replace = db.prepare<[string, string, string, string]>(
    'UPDATE subject_keys SET wrapped_key = ? WHERE tenant = ? AND subject = ? AND wrapped_key = ?',
  );
  const replaceMany = db.transaction((changes: readonly WrappedKeyChange[]) =>
    changes.map((c) => replace.run(c.wrappedKey, c.tenant, c.subject, c.expected).changes === 1),
  );
  return {
    epoch,
    get,
    getMany,
    init,
    initMany,
    erase,
    addHold,
    allHolds,
    standingHolds,
    releaseHold,
    firstPage,
    nextPage,
    replaceMany,
  };
}

function hasTable(db: Database.Database, name: string): boolean {
  return (
    db
      .prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
      )
      .get(name)?.n === 1
  );
}

/** The governance of a read-only database from before governance existed: nothing. */
function emptyGovernance(): GovernanceStore {
  const refuse = async (): Promise<never> => {
    throw new Error('this database is open read-only');
  };
  return {
    addTenant: refuse,
    tenant: async () => null,
    tenants: async () => [],
    addKey: refuse,
    putKey: refuse,
    keyById: async () => null,
    keys: async () => [],
    revokeKey: refuse,
    tenantSetting: async () => null,
    putTenantSetting: refuse,
    initTenantSetting: refuse,
    replaceTenantSetting: refuse,
    settingOfEveryTenant: async () => new Map(),
    subjectKey: async () => null,
    subjectKeys: async () => new Map(),
    subjectKeyPage: async () => [],
    replaceWrappedKeys: refuse,
    initSubjectKeys: refuse,
    initSubjectKey: refuse,
    eraseSubjectKey: refuse,
    erasureEpoch: async () => 0,
    addHold: refuse,
    holds: async () => [],
    releaseHold: refuse,
    putAccessDetails: refuse,
    accessDetails: async () => new Map(),
    deleteAccessDetails: refuse,
  };
}
