/**
 * The bootstrap admin key of every server the tests start: vitest.config.ts puts it in
 * `DECLOG_ADMIN_KEY` (servers) and `DECLOG_API_KEY` (CLI clients) of the test processes,
 * whose children inherit them. Tests of access control make other keys.
 */
export const TEST_ADMIN_KEY = 'declog-test-admin-key-0123456789';

/** The header that authenticates a request with the test admin key. */
export const ADMIN_AUTH = { authorization: `Bearer ${TEST_ADMIN_KEY}` } as const;
