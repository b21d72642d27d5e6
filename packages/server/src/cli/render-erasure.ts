import type { Erasure } from '../services/privacy/erase-subject.js';

/**
 * An erasure in one line. Without a live key to destroy, the subject was erased before, or
 * (`forced`) perhaps never seen and now erased ahead of its events: the time and name are the
 * erasure's.
 */
export function renderErasure(erasure: Erasure, forced = false): string {
  const shredded = `${erasure.records_shredded} sealed record(s) shredded`;
  if (erasure.key_destroyed) {
    return `erased subject ${erasure.subject} at ${erasure.erased_at} by ${erasure.erased_by}: key destroyed, ${shredded}\n`;
  }
  const rest = erasure.records_shredded === 0 ? 'nothing left to shred' : shredded;
  if (forced) {
    return `subject ${erasure.subject} erased at ${erasure.erased_at} by ${erasure.erased_by}, ahead of its events or before: no live key; ${rest}\n`;
  }
  return `subject ${erasure.subject} already erased at ${erasure.erased_at} by ${erasure.erased_by}; ${rest}\n`;
}
