import { describe, expect, it } from 'vitest';
import { isDeclogError } from '../../errors.js';
import { asStoreUnavailable } from './store-unavailable.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('database errors as callers see them', () => {
  it('makes a read that a hot standby cancelled for its replay a store_unavailable to retry', () => {
    const cancelled = pgError('40001', 'canceling statement due to conflict with recovery');
    const mapped = asStoreUnavailable(cancelled);
    if (!isDeclogError(mapped)) expect.fail(`not a DeclogError: ${String(mapped)}`);
    expect(mapped.code).toBe('store_unavailable');
    expect(mapped.message).toContain('conflict with recovery');
    expect(mapped.cause).toBe(cancelled);
  });

  it('passes errors that are not outages through unchanged', () => {
    const missing = pgError('42P01', 'relation "settings" does not exist');
    expect(asStoreUnavailable(missing)).toBe(missing);
  });
});
