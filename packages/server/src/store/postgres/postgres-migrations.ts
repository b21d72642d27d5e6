import type { PoolClient } from 'pg';
import { decisionFacts, expandEventText, outcomeLabelOf, type DecisionEvent } from '@declog/core';
import type { PostgresMigration } from './postgres-migrate.js';

/**
 * The PostgreSQL schema. Every table is keyed by `tenant_id` first and nothing joins or refers
 * across tenants, so each table can be distributed by `tenant_id` on Citus. The tables holding
 * records are partitioned by `recorded_at` month (partitions are created ahead of time by the
 * store, see postgres-partitions.ts), so that retention can drop whole months.
 *
 * A decision's reason codes, labels and summary words are one GIN-indexed array of tagged
 * terms (see decision-terms.ts): one index insert instead of a row per reason and label.
 *
 * Ids are unique per tenant because every append runs under the tenant's lock (the `logs` row)
 * and looks ids up first; a partitioned table cannot carry a unique index without the
 * partition key.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'per-tenant event logs, decision index, merkle nodes, checkpoints, settings',
    sql: `
      CREATE TABLE logs (
        tenant_id text PRIMARY KEY,
        size bigint NOT NULL DEFAULT 0 CHECK (size >= 0)
      );

      CREATE TABLE events (
        tenant_id text NOT NULL,
        seq bigint NOT NULL,
        id text NOT NULL,
        type text NOT NULL,
        decision_id text,
        kind text,
        occurred_ms bigint NOT NULL,
        recorded_at timestamptz NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (tenant_id, seq, recorded_at)
      ) PARTITION BY RANGE (recorded_at);
      CREATE INDEX events_by_id ON events (tenant_id, id);
      CREATE INDEX events_by_decision ON events (tenant_id, decision_id, type, kind)
        WHERE decision_id IS NOT NULL;
      CREATE TABLE events_default PARTITION OF events DEFAULT;

      CREATE TABLE decisions (
        tenant_id text NOT NULL,
        seq bigint NOT NULL,
        recorded_at timestamptz NOT NULL,
        model text NOT NULL,
        model_version text NOT NULL,
        occurred_ms bigint NOT NULL,
        subject text,
        terms text[] NOT NULL,
        PRIMARY KEY (tenant_id, seq, recorded_at)
      ) PARTITION BY RANGE (recorded_at);
      CREATE INDEX decisions_by_time ON decisions (tenant_id, occurred_ms, seq);
      CREATE INDEX decisions_by_model ON decisions (tenant_id, model, occurred_ms, seq);
      CREATE INDEX decisions_by_model_version
        ON decisions (tenant_id, model, model_version, occurred_ms, seq);
      CREATE INDEX decisions_by_subject ON decisions (tenant_id, subject, occurred_ms, seq)
        WHERE subject IS NOT NULL;
      CREATE INDEX decisions_by_terms ON decisions USING gin (terms);
      CREATE TABLE decisions_default PARTITION OF decisions DEFAULT;

      CREATE TABLE merkle_nodes (
        tenant_id text NOT NULL,
        level smallint NOT NULL,
        idx bigint NOT NULL,
        hash bytea NOT NULL,
        PRIMARY KEY (tenant_id, level, idx)
      );

      CREATE TABLE checkpoints (
        tenant_id text NOT NULL,
        size bigint NOT NULL,
        root bytea NOT NULL,
        note text NOT NULL,
        issued_at text NOT NULL,
        PRIMARY KEY (tenant_id, size)
      );

      CREATE TABLE settings (
        tenant_id text NOT NULL,
        key text NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (tenant_id, key)
      );
    `,
  },
  {
    version: 2,
    name: 'governance: tenants, api keys, tenant settings',
    sql: `
      CREATE TABLE tenants (
        name text PRIMARY KEY,
        created_at text NOT NULL
      );

      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        created bigserial NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        tenant text,
        secret_hash bytea NOT NULL,
        created_at text NOT NULL,
        revoked_at text
      );
      CREATE INDEX api_keys_by_tenant ON api_keys (tenant, created);

      CREATE TABLE tenant_settings (
        tenant text NOT NULL,
        key text NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (tenant, key)
      );
    `,
  },
  {
    version: 3,
    name: 'privacy: subject keys, sealed personal data, legal holds',
    sql: `
      CREATE TABLE legal_holds (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        kind text NOT NULL,
        target text NOT NULL,
        reason text NOT NULL,
        placed_at text NOT NULL,
        placed_by text NOT NULL,
        released_at text,
        released_by text
      );
      CREATE INDEX legal_holds_by_tenant ON legal_holds (tenant, kind, target);

      CREATE TABLE subject_keys (
        tenant text NOT NULL,
        subject text NOT NULL,
        wrapped_key text,
        created_at text NOT NULL,
        erased_at text,
        erased_by text,
        PRIMARY KEY (tenant, subject)
      );

      CREATE TABLE personal_data (
        tenant_id text NOT NULL,
        event_id text NOT NULL,
        subject text NOT NULL,
        sealed text,
        shredded_at text,
        shredded_by text,
        PRIMARY KEY (tenant_id, event_id)
      );
      CREATE INDEX personal_data_by_subject ON personal_data (tenant_id, subject);
    `,
  },
  {
    version: 4,
    name: 'retention: pruned entries',
    sql: `
      CREATE TABLE pruned_entries (
        tenant_id text NOT NULL,
        seq bigint NOT NULL,
        id text NOT NULL,
        type text NOT NULL,
        decision_id text,
        leaf_hash bytea NOT NULL,
        content_digest bytea NOT NULL,
        recorded_at text NOT NULL,
        pruned_at text NOT NULL,
        pruned_by text NOT NULL,
        PRIMARY KEY (tenant_id, seq)
      );
      CREATE UNIQUE INDEX pruned_entries_by_id ON pruned_entries (tenant_id, id);
    `,
  },
  {
    version: 5,
    name: 'the key that stored each event; erasure epochs',
    sql: `
      ALTER TABLE events ADD COLUMN key_id text;
      ALTER TABLE pruned_entries ADD COLUMN key_id text;
      ALTER TABLE tenants ADD COLUMN erasure_epoch bigint NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 6,
    name: 'the Merkle tree stored as tiles',
    sql: `
      CREATE TABLE tiles (
        tenant_id text NOT NULL,
        level smallint NOT NULL,
        idx bigint NOT NULL,
        hashes bytea NOT NULL,
        PRIMARY KEY (tenant_id, level, idx)
      );
      -- A tile at tile-level L holds the nodes of tree level 8L, 256 to a tile, in order: the
      -- stored nodes of those levels put together (nothing is hashed).
      INSERT INTO tiles (tenant_id, level, idx, hashes)
        SELECT tenant_id, level / 8, idx / 256, string_agg(hash, ''::bytea ORDER BY idx)
          FROM merkle_nodes WHERE level % 8 = 0
         GROUP BY tenant_id, level / 8, idx / 256;
      DROP TABLE merkle_nodes;
    `,
  },
  {
    version: 7,
    name: 'a live key name names one principal per tenant',
    // As SQLite's migration 9: the oldest of live keys sharing a name where both act keeps it,
    // each later one becomes NAME#ID (the subquery sees the names as they were).
    sql: `
      UPDATE api_keys k SET name = k.name || '#' || k.id
       WHERE k.revoked_at IS NULL AND EXISTS (
         SELECT 1 FROM api_keys e
          WHERE e.revoked_at IS NULL AND e.name = k.name AND e.created < k.created
            AND (e.tenant IS NOT DISTINCT FROM k.tenant OR e.tenant IS NULL OR k.tenant IS NULL));
      CREATE UNIQUE INDEX api_keys_live_names ON api_keys (COALESCE(tenant, '*'), name)
        WHERE revoked_at IS NULL;
    `,
  },
  {
    version: 8,
    name: 'personal details of access entries, kept beside the trails',
    // As SQLite's migration 10.
    sql: `
      CREATE TABLE access_details (
        tenant text NOT NULL,
        entry_id text NOT NULL,
        recorded_at text NOT NULL,
        details text NOT NULL,
        PRIMARY KEY (tenant, entry_id)
      );
      CREATE INDEX access_details_by_time ON access_details (tenant, recorded_at);
      CREATE TABLE access_subjects (
        tenant text NOT NULL,
        subject text NOT NULL,
        entry_id text NOT NULL,
        recorded_at text NOT NULL,
        PRIMARY KEY (tenant, subject, entry_id)
      );
      CREATE INDEX access_subjects_by_time ON access_subjects (tenant, recorded_at);
    `,
  },
  {
    version: 9,
    name: 'the analyses: predicted label, score, confidence and fields present of each decision; outcome labels',
    sql: `
      ALTER TABLE decisions ADD COLUMN label text;
      ALTER TABLE decisions ADD COLUMN score double precision;
      ALTER TABLE decisions ADD COLUMN confidence double precision;
      ALTER TABLE decisions ADD COLUMN fields integer;
      ALTER TABLE events ADD COLUMN outcome_label text;
    `,
    apply: backfillAnalytics,
  },
];

/** Fills the analyses' columns of the rows stored before them, from the stored events. */
async function backfillAnalytics(client: PoolClient): Promise<void> {
  const PAGE = 2000;
  for (let after = { tenant: '', seq: -1 }; ;) {
    const rows = await client.query<{ tenant_id: string; seq: string; body: string }>(
      `SELECT d.tenant_id, d.seq, e.body FROM decisions d
         JOIN events e ON e.tenant_id = d.tenant_id AND e.seq = d.seq AND e.recorded_at = d.recorded_at
        WHERE (d.tenant_id, d.seq) > ($1, $2) ORDER BY d.tenant_id, d.seq LIMIT $3`,
      [after.tenant, after.seq, PAGE],
    );
    if (rows.rows.length === 0) break;
    const facts = rows.rows.map((row) =>
      decisionFacts(JSON.parse(expandEventText(row.body)) as DecisionEvent),
    );
    await client.query(
      `UPDATE decisions d SET label = u.label, score = u.score, confidence = u.confidence,
              fields = u.fields
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::float8[], $5::float8[], $6::int[])
           AS u (tenant_id, seq, label, score, confidence, fields)
        WHERE d.tenant_id = u.tenant_id AND d.seq = u.seq`,
      [
        rows.rows.map((row) => row.tenant_id),
        rows.rows.map((row) => row.seq),
        facts.map((f) => f.label),
        facts.map((f) => f.score),
        facts.map((f) => f.confidence),
        facts.map((f) => f.fields),
      ],
    );
    const last = rows.rows.at(-1) as { tenant_id: string; seq: string };
    after = { tenant: last.tenant_id, seq: Number(last.seq) };
  }
  for (let after = { tenant: '', seq: -1 }; ;) {
    const rows = await client.query<{ tenant_id: string; seq: string; body: string }>(
      `SELECT tenant_id, seq, body FROM events
        WHERE type = 'outcome' AND (tenant_id, seq) > ($1, $2) ORDER BY tenant_id, seq LIMIT $3`,
      [after.tenant, after.seq, PAGE],
    );
    if (rows.rows.length === 0) break;
    const labelled = rows.rows.flatMap((row) => {
      const label = outcomeLabelOf(expandEventText(row.body));
      return label === null ? [] : [{ ...row, label }];
    });
    await client.query(
      `UPDATE events e SET outcome_label = u.label
         FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u (tenant_id, seq, label)
        WHERE e.tenant_id = u.tenant_id AND e.seq = u.seq`,
      [labelled.map((r) => r.tenant_id), labelled.map((r) => r.seq), labelled.map((r) => r.label)],
    );
    const last = rows.rows.at(-1) as { tenant_id: string; seq: string };
    after = { tenant: last.tenant_id, seq: Number(last.seq) };
  }
}
