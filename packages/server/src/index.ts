export { buildApp, type AppDeps } from './http/build-app.js';
export { openApiDocument } from './http/openapi-document.js';
export { ERROR_STATUS } from './http/error-status.js';
export { serve, type RunningServer, type ServeOptions } from './serve.js';
export { openDatabase, openStore, parseStoreLocation } from './store/open-store.js';
export { migrateStore } from './store/migrate-store.js';
export type { MigrationReport } from './store/migration.js';
export { openSqliteDatabase, openSqliteStore } from './store/sqlite/sqlite-database.js';
export { openPostgresDatabase, openPostgresStore } from './store/postgres/postgres-database.js';
export {
  DeclogError,
  ERROR_CODES,
  isDeclogError,
  type ErrorCode,
  type ErrorDetail,
} from './errors.js';
export { remoteClient } from './client/remote-client.js';
export { localClient } from './client/local-client.js';
export type { LogClient } from './client/log-client.js';
