/** Connections a server's PostgreSQL pool opens at most, unless told otherwise. */
export const DEFAULT_POOL_SIZE = 10;
