import { DeclogError } from '../errors.js';
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

/**
 * Refuses a body whose `Content-Type` names a charset other than UTF-8 (in any case, quoted
 * or not), with `unsupported_media_type`: JSON is UTF-8, and declog reads every body as UTF-8
 * rather than store text decoded otherwise than the client meant.
 */
export function assertUtf8Charset(header: string | undefined): void {
  for (const parameter of (header ?? '').split(';').slice(1)) {
    const equals = parameter.indexOf('=');
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    let value = parameter.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    if (value.toLowerCase() !== 'utf-8') {
      throw new DeclogError(
        'unsupported_media_type',
        `charset ${JSON.stringify(value)} is not supported: send UTF-8 (charset=utf-8, or no charset)`,
        [{ path: 'Content-Type', message: 'charset must be utf-8' }],
      );
    }
  }
}
