/**
 * What a client may send as `X-Request-Id`: up to 128 characters of letters, digits and
 * `. _ ~ : / + = @ -` (UUIDs, ULIDs, trace ids). Anything else, which could forge log lines or
 * fill the trail, is replaced by an id of the server's own.
 */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._~:/+=@-]{1,128}$/;

/**
 * The id of a request: the client's `X-Request-Id` when it is one (see above), else a new one
 * from `newId`. It is returned in `X-Request-Id`, logged and recorded in the access trail.
 *
 * @example requestId(req.headers['x-request-id'], uuidv7)
 */
export function requestId(header: string | string[] | undefined, newId: () => string): string {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : newId();
}
