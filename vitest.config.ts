import { defineConfig } from 'vitest/config';
import { TEST_ADMIN_KEY } from './test/helpers/admin-key.js';

/** Servers the tests start get this admin key, and CLI clients send it. */
const KEYS = { DECLOG_ADMIN_KEY: TEST_ADMIN_KEY, DECLOG_API_KEY: TEST_ADMIN_KEY };

/** Integration tests that store through a server or the CLI: run again on PostgreSQL. */
const ON_BOTH_STORES = [
  'test/http-api.test.ts',
  'test/analytics-columns.test.ts',
  'test/analytics-scenarios.test.ts',
  'test/cli-analytics.test.ts',
  'test/analytics-sealed.test.ts',
  'test/ledger-http.test.ts',
  'test/oversized-body-answer.test.ts',
  'test/crash-durability.test.ts',
  'test/cli-store.test.ts',
  'test/verify-db.test.ts',
  'test/verify-index.test.ts',
  'test/read-guards.test.ts',
  'test/verify-remote.test.ts',
  'test/bundle.test.ts',
  'test/access-control.test.ts',
  'test/masking-ingest.test.ts',
  'test/erasure.test.ts',
  'test/cli-governance.test.ts',
  'test/cli-privacy.test.ts',
  'test/cli-local-privacy.test.ts',
  'test/master-key-rotation.test.ts',
  'test/security-hygiene.test.ts',
  'test/retention.test.ts',
  'test/security/security-trail.test.ts',
  'test/security/page-bytes.test.ts',
  'test/security/query-caps.test.ts',
  'test/security/deep-nesting.test.ts',
  'test/security/duplicate-keys.test.ts',
  'test/security/hidden-separators.test.ts',
  'test/security/invalid-utf8.test.ts',
  'test/security/prototype-keys.test.ts',
  'test/security/annotation-authors.test.ts',
  'test/security/access-trail-personal.test.ts',
  'test/security/body-fuzz.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          env: KEYS,
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ON_BOTH_STORES,
          env: { ...KEYS, DECLOG_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
