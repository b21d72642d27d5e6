import Database from 'better-sqlite3';

/**
 * Bytes each table and index of an SQLite database occupies (from the `dbstat` virtual table),
 * largest first. FTS5 shadow tables are grouped under their virtual table's name.
 */
export function tableSizes(path) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all();
    const virtual = db
      .prepare("SELECT name FROM sqlite_schema WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
      .pluck()
      .all();
    const owner = (name) => virtual.find((table) => name.startsWith(`${table}_`)) ?? name;
    const sizes = new Map();
    for (const { name, bytes } of rows)
      sizes.set(owner(name), (sizes.get(owner(name)) ?? 0) + bytes);
    return [...sizes].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  } finally {
    db.close();
  }
}
