import type pg from 'pg';
import type {
  AccessDetailsRecord,
  AddKeyResult,
  ApiKeyRecord,
  GovernanceStore,
  SubjectKeyRecord,
} from '@declog/core';
import {
  toHold,
  toKey,
  newSubjectKey,
  toSubjectKey,
  type HoldRow,
  type KeyRow,
  type SubjectRow,
} from '../governance-records.js';
import { asStoreUnavailable } from './store-unavailable.js';
import { withConnection } from './with-connection.js';

const KEY_COLUMNS = 'id, name, role, tenant, secret_hash, created_at, revoked_at';

/** Any fixed number: the transaction lock under which keys are added one at a time. */
const ADD_KEY_LOCK = 0x6b657973; // "keys"

/**
 * Tenants, API keys and tenant settings in PostgreSQL; each call is one statement, but for an
 * erasure (two, in one transaction) and adding a key (under a lock).
 */
export function postgresGovernanceStore(pool: pg.Pool): GovernanceStore {
  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    try {
      return await pool.query<R>(sql, params);
    } catch (error) {
      throw asStoreUnavailable(error);
    }
  };
  const keyParams = (key: ApiKeyRecord) => [
    key.id,
    key.name,
    key.role,
    key.tenant,
    Buffer.from(key.secretHash),
    key.createdAt,
    key.revokedAt,
  ];
  const inTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    try {
      return await withConnection(pool, async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      });
    } catch (error) {
      throw asStoreUnavailable(error);
    }
  };
  const tenantOf = (row: { name: string; created_at: string }) => ({
    name: row.name,
    createdAt: row.created_at,
  });

  return {
    async addTenant(tenant) {
      const result = await query(
        'INSERT INTO tenants (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [tenant.name, tenant.createdAt],
      );
      return result.rowCount === 1;
    },
    async tenant(name) {
      const { rows } = await query<{ name: string; created_at: string }>(
        'SELECT name, created_at FROM tenants WHERE name = $1',
        [name],
      );
      return rows[0] ? tenantOf(rows[0]) : null;
    },
    async tenants() {
      const { rows } = await query<{ name: string; created_at: string }>(
        'SELECT name, created_at FROM tenants ORDER BY name',
        [],
      );
      return rows.map(tenantOf);
    },
    async addKey(key) {
      try {
        return await withConnection(pool, async (client): Promise<AddKeyResult> => {
          await client.query('BEGIN');
          // Key creations take turns: a name is checked against every tenant's live keys.
          await client.query('SELECT pg_advisory_xact_lock($1)', [ADD_KEY_LOCK]);
          if (key.revokedAt === null) {
            const { rows } = await client.query<{ id: string }>(
              `SELECT id FROM api_keys WHERE revoked_at IS NULL AND name = $1
                  AND (tenant IS NOT DISTINCT FROM $2 OR tenant IS NULL OR $2::text IS NULL)
                ORDER BY created LIMIT 1`,
              [key.name, key.tenant],
            );
            if (rows[0]) {
              await client.query('ROLLBACK');
              return { added: false, nameTakenBy: rows[0].id };
            }
          }
          await client.query(
            `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            keyParams(key),
          );
          await client.query('COMMIT');
          return { added: true };
        });
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    async putKey(key) {
      await query(
        `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
            tenant = excluded.tenant, secret_hash = excluded.secret_hash,
            created_at = excluded.created_at, revoked_at = excluded.revoked_at`,
        keyParams(key),
      );
    },
    async keyById(id) {
      const { rows } = await query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = $1`, [
        id,
      ]);
      return rows[0] ? toKey(rows[0]) : null;
    },
    async keys(tenant) {
      const { rows } =
        tenant === undefined
          ? await query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created`, [])
          : await query<KeyRow>(
              `SELECT ${KEY_COLUMNS} FROM api_keys WHERE tenant = $1 ORDER BY created`,
              [tenant],
            );
      return rows.map(toKey);
    },
    async revokeKey(id, at) {
      const result = await query(
        'UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL',
        [id, at],
      );
      return result.rowCount === 1;
    },
    async tenantSetting(tenant, key) {
      const { rows } = await query<{ value: string }>(
        'SELECT value FROM tenant_settings WHERE tenant = $1 AND key = $2',
        [tenant, key],
      );
      return rows[0]?.value ?? null;
    },
    async putTenantSetting(tenant, key, value) {
      await query(
        `INSERT INTO tenant_settings (tenant, key, value) VALUES ($1, $2, $3)
          ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value`,
        [tenant, key, value],
      );
    },
    async replaceTenantSetting(tenant, key, expected, value) {
      if (expected === null && value === null) {
        const { rows } = await query(
          'SELECT 1 FROM tenant_settings WHERE tenant = $1 AND key = $2',
          [tenant, key],
        );
        return rows.length === 0;
      }
      const result =
        expected === null
          ? await query(
              `INSERT INTO tenant_settings (tenant, key, value) VALUES ($1, $2, $3)
                ON CONFLICT DO NOTHING`,
              [tenant, key, value],
            )
          : value === null
            ? await query(
                'DELETE FROM tenant_settings WHERE tenant = $1 AND key = $2 AND value = $3',
                [tenant, key, expected],
              )
            : await query(
                `UPDATE tenant_settings SET value = $4
                  WHERE tenant = $1 AND key = $2 AND value = $3`,
                [tenant, key, expected, value],
              );
      return result.rowCount === 1;
    },
    async settingOfEveryTenant(key) {
      const { rows } = await query<{ tenant: string; value: string }>(
        'SELECT tenant, value FROM tenant_settings WHERE key = $1 ORDER BY tenant',
        [key],
      );
      return new Map(rows.map((row) => [row.tenant, row.value]));
    },
    async subjectKey(tenant, subject) {
      const { rows } = await query<SubjectRow>(
        'SELECT * FROM subject_keys WHERE tenant = $1 AND subject = $2',
        [tenant, subject],
      );
      return rows[0] ? toSubjectKey(rows[0]) : null;
    },
    async subjectKeys(tenant, subjects) {
      const { rows } = await query<SubjectRow>(
        'SELECT * FROM subject_keys WHERE tenant = $1 AND subject = ANY($2::text[])',
        [tenant, subjects],
      );
      return new Map(rows.map((row) => [row.subject, toSubjectKey(row)]));
    },
    async initSubjectKeys(tenant, keys, at) {
      // In the order of subjects, as appends store keys: concurrent writers of overlapping
      // subjects wait for each other instead of deadlocking.
      const { rows: inserted } = await query<{ subject: string }>(
        `INSERT INTO subject_keys (tenant, subject, wrapped_key, created_at)
          SELECT $1, k.subject, k.wrapped_key, $4
            FROM unnest($2::text[], $3::text[]) AS k (subject, wrapped_key)
           ORDER BY k.subject COLLATE "C"
          ON CONFLICT DO NOTHING
          RETURNING subject`,
        [tenant, keys.map((k) => k.subject), keys.map((k) => k.wrappedKey), at],
      );
      const mine = new Set(inserted.map((row) => row.subject));
      const found = new Map<string, SubjectKeyRecord>();
      for (const key of keys) {
        if (mine.has(key.subject)) {
          found.set(key.subject, newSubjectKey(tenant, key.subject, key.wrappedKey, at));
        }
      }
      const others = keys.filter((key) => !mine.has(key.subject)).map((key) => key.subject);
      if (others.length === 0) return found;
      // A separate statement: its snapshot sees concurrent first writers' committed rows.
      const { rows } = await query<SubjectRow>(
        'SELECT * FROM subject_keys WHERE tenant = $1 AND subject = ANY($2::text[])',
        [tenant, others],
      );
      for (const row of rows) found.set(row.subject, toSubjectKey(row));
      return found;
    },
    async initSubjectKey(tenant, subject, wrappedKey, at) {
      await query(
        `INSERT INTO subject_keys (tenant, subject, wrapped_key, created_at)
          VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [tenant, subject, wrappedKey, at],
      );
      // A separate statement: its snapshot sees a concurrent first writer's committed row.
      const { rows } = await query<SubjectRow>(
        'SELECT * FROM subject_keys WHERE tenant = $1 AND subject = $2',
        [tenant, subject],
      );
      return toSubjectKey(rows[0] as SubjectRow);
    },
    async subjectKeyPage(after, limit) {
      const { rows } =
        after === null
          ? await query<SubjectRow>(
              'SELECT * FROM subject_keys ORDER BY tenant, subject LIMIT $1',
              [limit],
            )
          : await query<SubjectRow>(
              `SELECT * FROM subject_keys WHERE (tenant, subject) > ($1, $2)
                ORDER BY tenant, subject LIMIT $3`,
              [after.tenant, after.subject, limit],
            );
      return rows.map(toSubjectKey);
    },
    async replaceWrappedKeys(changes) {
      // One statement: all of the batch is replaced in one transaction, or none of it.
      const { rows } = await query<{ n: string }>(
        `UPDATE subject_keys AS s SET wrapped_key = c.wrapped_key
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                WITH ORDINALITY AS c (tenant, subject, expected, wrapped_key, n)
          WHERE s.tenant = c.tenant AND s.subject = c.subject AND s.wrapped_key = c.expected
          RETURNING c.n`,
        [
          changes.map((c) => c.tenant),
          changes.map((c) => c.subject),
          changes.map((c) => c.expected),
          changes.map((c) => c.wrappedKey),
        ],
      );
      const replaced = new Set(rows.map((row) => Number(row.n) - 1));
      return changes.map((_, i) => replaced.has(i));
    },
    async erasureEpoch(tenant) {
      const { rows } = await query<{ epoch: string }>(
        'SELECT erasure_epoch AS epoch FROM tenants WHERE name = $1',
        [tenant],
      );
      return Number(rows[0]?.epoch ?? 0);
    },
    async eraseSubjectKey(tenant, subject, at, by) {
      try {
        return await withConnection(pool, async (client) => {
          try {
            await client.query('BEGIN');
            // The epoch moves first: an append sealed with keys read before it is refused (it
            // holds the tenant's row FOR SHARE until it commits). Taking the tenant's row before
            // the subject's, in the order appends take them, keeps the two from deadlocking
            // when an append stores the subject's first key meanwhile.
            await client.query(
              'UPDATE tenants SET erasure_epoch = erasure_epoch + 1 WHERE name = $1',
              [tenant],
            );
            const { rows } = await client.query<{ destroyed: boolean }>(
              `WITH destroyed AS (
                 UPDATE subject_keys SET wrapped_key = NULL, erased_at = $3, erased_by = $4
                   WHERE tenant = $1 AND subject = $2 AND wrapped_key IS NOT NULL RETURNING 1
               ), tombstone AS (
                 INSERT INTO subject_keys
                   (tenant, subject, wrapped_key, created_at, erased_at, erased_by)
                   VALUES ($1, $2, NULL, $3, $3, $4) ON CONFLICT DO NOTHING
               )
               SELECT EXISTS (SELECT 1 FROM destroyed) AS destroyed`,
              [tenant, subject, at, by],
            );
            await client.query('COMMIT');
            return rows[0]?.destroyed ?? false;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        });
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    async addHold(hold) {
      await query(
        `INSERT INTO legal_holds (id, tenant, kind, target, reason, placed_at, placed_by)
          VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [hold.id, hold.tenant, hold.kind, hold.target, hold.reason, hold.placedAt, hold.placedBy],
      );
    },
    async holds(tenant, options = {}) {
      const { rows } = await query<HoldRow>(
        `SELECT * FROM legal_holds WHERE tenant = $1 ${options.standing ? 'AND released_at IS NULL' : ''}
          ORDER BY placed_at, id`,
        [tenant],
      );
      return rows.map(toHold);
    },
    async putAccessDetails(records) {
      if (records.length === 0) return;
      const links = records.flatMap((r) =>
        [...new Set(r.subjects)].map((subject) => [r.tenant, subject, r.entryId, r.recordedAt]),
      );
      await inTransaction(async (client) => {
        await client.query(
          `INSERT INTO access_details (tenant, entry_id, recorded_at, details)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
           ON CONFLICT DO NOTHING`,
          columns(
            records.map((r: AccessDetailsRecord) => [r.tenant, r.entryId, r.recordedAt, r.details]),
          ),
        );
        if (links.length > 0) {
          await client.query(
            `INSERT INTO access_subjects (tenant, subject, entry_id, recorded_at)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT DO NOTHING`,
            columns(links),
          );
        }
      });
    },
    async accessDetails(tenant, entryIds) {
      if (entryIds.length === 0) return new Map();
      const { rows } = await query<{ entry_id: string; details: string }>(
        'SELECT entry_id, details FROM access_details WHERE tenant = $1 AND entry_id = ANY($2)',
        [tenant, [...entryIds]],
      );
      return new Map(rows.map((row) => [row.entry_id, row.details]));
    },
    async deleteAccessDetails(tenant, target) {
      return inTransaction(async (client) => {
        if ('subject' in target) {
          const deleted = await client.query(
            `DELETE FROM access_details WHERE tenant = $1 AND entry_id IN
               (SELECT entry_id FROM access_subjects WHERE tenant = $1 AND subject = $2)`,
            [tenant, target.subject],
          );
          await client.query('DELETE FROM access_subjects WHERE tenant = $1 AND subject = $2', [
            tenant,
            target.subject,
          ]);
          return deleted.rowCount ?? 0;
        }
        const deleted = await client.query(
          'DELETE FROM access_details WHERE tenant = $1 AND recorded_at < $2',
          [tenant, target.before],
        );
        await client.query('DELETE FROM access_subjects WHERE tenant = $1 AND recorded_at < $2', [
          tenant,
          target.before,
        ]);
        return deleted.rowCount ?? 0;
      });
    },
    async releaseHold(tenant, id, at, by) {
      const result = await query(
        `UPDATE legal_holds SET released_at = $3, released_by = $4
          WHERE tenant = $1 AND id = $2 AND released_at IS NULL`,
        [tenant, id, at, by],
      );
      return result.rowCount === 1;
    },
    async initTenantSetting(tenant, key, value) {
      await query(
        'INSERT INTO tenant_settings (tenant, key, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [tenant, key, value],
      );
      // A separate statement: its snapshot sees a concurrent first writer's committed value.
      const { rows } = await query<{ value: string }>(
        'SELECT value FROM tenant_settings WHERE tenant = $1 AND key = $2',
        [tenant, key],
      );
      return rows[0]?.value ?? value;
    },
  };
}

/** Rows as one array per column, for `unnest`. */
function columns(rows: readonly (readonly string[])[]): string[][] {
  const out: string[][] = [[], [], [], []];
  for (const row of rows) row.forEach((value, i) => out[i]?.push(value));
  return out;
}
