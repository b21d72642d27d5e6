/** A schema change, applied once, in `version` order. Never edit one that has shipped: add another. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** What a migration run did: the versions it applied now, and the schema version after it. */
export interface MigrationReport {
  readonly applied: readonly number[];
  readonly version: number;
}

/** The error for a database migrated by a newer declog: this one must not touch it. */
export function newerSchemaError(version: number, known: number): Error {
  return new Error(
    `database schema version ${version} is newer than this declog (${known}); upgrade declog`,
  );
}
