import { DeclogError } from '../errors.js';

/**
 * Refuses a body sent with a `Content-Encoding` other than `identity` (gzip, deflate, br, …),
 * with `unsupported_media_type` naming the encoding, before the body is read: read as it is,
 * a compressed body would be reported as garbled JSON, and inflating it would let a small
 * request grow past the body limit.
 */
export function assertIdentityEncoding(header: string | string[] | undefined): void {
  const codings = [header ?? '']
    .flat()
    .flatMap((value) => value.split(','))
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return;
  throw new DeclogError(
    'unsupported_media_type',
    `Content-Encoding ${codings.join(', ')} is not supported: send the body uncompressed`,
    [{ path: 'Content-Encoding', message: `${codings.join(', ')} is not supported; use identity` }],
  );
}
