import { InvalidArgumentError } from 'commander';
import { LIMITS } from '@declog/core';

/** Parses `--batch-size N`: events per atomic batch, at most what one request may hold. */
export function parseBatchSize(value: string): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= LIMITS.maxEventsPerRequest)) {
    throw new InvalidArgumentError(`must be an integer from 1 to ${LIMITS.maxEventsPerRequest}`);
  }
  return n;
}
