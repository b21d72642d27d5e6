/** A throwaway PostgreSQL server: see test-postgres.mjs. */
export function startPostgres(): Promise<{ url: string; dir: string }>;
export function stopPostgres(dir: string): void;
/** A hot standby streaming from the running cluster in `primaryDir`. */
export function startStandby(primaryDir: string): Promise<{ url: string; dir: string }>;
