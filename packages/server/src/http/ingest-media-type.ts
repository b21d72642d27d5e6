import { NDJSON_TYPES } from '../services/parse-event-body.js';

/**
 * Whether an ingest body's `Content-Type` header names NDJSON rather than JSON. Media types
 * are case-insensitive (RFC 9110 §8.3.1) and may carry parameters, so
 * `Application/X-NDJSON; charset=utf-8` is NDJSON and `APPLICATION/JSON` is not.
 */
export function isNdjsonContentType(header: string | undefined): boolean {
  const mediaType = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (NDJSON_TYPES as readonly string[]).includes(mediaType);
}
