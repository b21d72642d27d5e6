import type { GovernanceStore } from '@declog/core';
import { expect, it } from 'vitest';
import { DeclogError } from '../../errors.js';
import type { TenantLogs } from '../governance/tenant-logs.js';
import { startRetentionSchedule } from './retention-schedule.js';

/** A schedule whose store fails every read with `error`; what it logged of its first run. */
async function firstRunLogs(error: Error): Promise<{ notices: string[]; errors: unknown[] }> {
  const notices: string[] = [];
  const errors: unknown[] = [];
  let logged: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (logged = resolve));
  const governance = { tenants: () => Promise.reject(error) } as unknown as GovernanceStore;
  const schedule = startRetentionSchedule({
    governance,
    logs: {} as TenantLogs,
    now: () => new Date('2026-12-08T00:00:00Z'),
    scrub: async () => undefined,
    intervalMs: 3_600_000,
    firstRunMs: 0,
    logError: (e) => {
      errors.push(e);
      logged();
    },
    logNotice: (message) => {
      notices.push(message);
      logged();
    },
  });
  await done;
  await schedule.stop();
  return { notices, errors };
}

it('puts a run off when the database is away, as a notice, not an internal error', async () => {
  const outage = new DeclogError(
    'store_unavailable',
    'the database is unavailable (ECONNREFUSED); retry',
  );
  expect(await firstRunLogs(outage)).toEqual({
    notices: ['retention run put off: the database is unavailable (ECONNREFUSED); retry'],
    errors: [],
  });
});

it('logs any other failure of a run as an error', async () => {
  const bug = new Error('a broken policy');
  expect(await firstRunLogs(bug)).toEqual({ notices: [], errors: [bug] });
});
