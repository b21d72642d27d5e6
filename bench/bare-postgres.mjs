import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

/**
 * The PostgreSQL baseline: the least a decision log must do, with the fastest bulk path there
 * is. The same one-table shape as the SQLite baseline (keyed by id, one index for "model
 * version in a time range", the body as submitted), loaded with `COPY … FROM STDIN`, one COPY
 * (so one transaction, durable at commit) per request body.
 */
export async function openBarePostgres(url) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await pool.query(`CREATE TABLE bare (
    id text PRIMARY KEY,
    model text NOT NULL,
    occurred_at bigint NOT NULL,
    body text NOT NULL
  )`);
  await pool.query('CREATE INDEX bare_by_model ON bare (model, occurred_at)');

  return {
    /** Parses one `{"events": [...]}` request body and COPYs its events in. */
    async ingest(bodyText) {
      const { events } = JSON.parse(bodyText);
      const csv = events
        .map((event) =>
          [event.id, modelKey(event.model), Date.parse(event.occurred_at), JSON.stringify(event)]
            .map(csvField)
            .join(','),
        )
        .join('\n');
      const client = await pool.connect();
      try {
        const copy = client.query(
          copyStreams.from('COPY bare (id, model, occurred_at, body) FROM STDIN (FORMAT csv)'),
        );
        await pipeline(Readable.from([csv]), copy);
      } finally {
        client.release();
      }
      return events.length;
    },
    bodyById: async (id) =>
      (await pool.query('SELECT body FROM bare WHERE id = $1', [id])).rows[0]?.body,
    /** Newest `limit` bodies of one model version in [fromMs, toMs). */
    page: async (model, fromMs, toMs, limit) =>
      (
        await pool.query(
          `SELECT body FROM bare WHERE model = $1 AND occurred_at >= $2 AND occurred_at < $3
            ORDER BY occurred_at DESC LIMIT $4`,
          [modelKey(model), fromMs, toMs, limit],
        )
      ).rows.map((row) => row.body),
    close: () => pool.end(),
  };
}

const csvField = (value) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

function modelKey(model) {
  return `${model.name}@${model.version}`;
}
