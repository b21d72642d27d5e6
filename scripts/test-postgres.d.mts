/** A throwaway PostgreSQL server: see test-postgres.mjs. */
export function startPostgres(): Promise<{ url: string; dir: string }>;
/** Fast shutdown of the cluster in `dir`, keeping its files. */
export function haltPostgres(dir: string): Promise<void>;
/** Starts the halted cluster in `dir` again on its port. */
export function resumePostgres(dir: string): Promise<void>;
export function restartPostgres(dir: string): Promise<void>;
export function stopPostgres(dir: string): void;
/** A hot standby streaming from the running cluster in `primaryDir`. */
export function startStandby(primaryDir: string): Promise<{ url: string; dir: string }>;
