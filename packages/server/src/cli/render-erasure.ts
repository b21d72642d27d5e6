import type { Erasure } from '../services/privacy/erase-subject.js';

/**
 * An erasure in one line. Without a live key to destroy, the subject was erased before (or
 * never seen, and is now erased ahead of its events): the time and name are the erasure's.
 */
export function renderErasure(erasure: Erasure): string {
  const shredded = `${erasure.records_shredded} sealed record(s) shredded`;
  if (erasure.key_destroyed) {
    return `erased subject ${erasure.subject} at ${erasure.erased_at} by ${erasure.erased_by}: key destroyed, ${shredded}\n`;
  }
  const rest = erasure.records_shredded === 0 ? 'nothing left to shred' : shredded;
  return `subject ${erasure.subject} already erased at ${erasure.erased_at} by ${erasure.erased_by}; ${rest}\n`;
}
