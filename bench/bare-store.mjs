import Database from 'better-sqlite3';

/**
 * The baseline store: the least a decision log must do, in the same SQLite with the same
 * durability as declog (WAL, synchronous = FULL, one transaction per batch). One table keyed
 * by id with one index for "model version in a time range", the body as submitted.
 */
export function openBareStore(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE bare (
    id TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX bare_by_model ON bare (model, occurred_at);`);

  const insert = db.prepare('INSERT INTO bare (id, model, occurred_at, body) VALUES (?, ?, ?, ?)');
  const byId = db.prepare('SELECT body FROM bare WHERE id = ?').pluck();
  const page = db
    .prepare(
      `SELECT body FROM bare WHERE model = ? AND occurred_at >= ? AND occurred_at < ?
       ORDER BY occurred_at DESC LIMIT ?`,
    )
    .pluck();
  const insertAll = db.transaction((events) => {
    for (const event of events) {
      insert.run(
        event.id,
        modelKey(event.model),
        Date.parse(event.occurred_at),
        JSON.stringify(event),
      );
    }
  });

  return {
    /** Parses one `{"events": [...]}` request body and stores its events in one transaction. */
    ingest(bodyText) {
      const { events } = JSON.parse(bodyText);
      insertAll.immediate(events);
      return events.length;
    },
    bodyById: (id) => byId.get(id),
    /** Deletes every row in one transaction: the least a store does to remove records. */
    deleteAll: () => db.prepare('DELETE FROM bare').run().changes,
    /** Newest `limit` bodies of one model version in [fromMs, toMs). */
    page: (model, fromMs, toMs, limit) => page.all(modelKey(model), fromMs, toMs, limit),
    close: () => db.close(),
  };
}

/** Name and version in one column, so the bare index answers "model version in a range". */
function modelKey(model) {
  return `${model.name}@${model.version}`;
}
