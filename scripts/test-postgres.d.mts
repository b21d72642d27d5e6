/** A throwaway PostgreSQL server: see test-postgres.mjs. */
export function startPostgres(): Promise<{ url: string; dir: string }>;
export function stopPostgres(dir: string): void;
