/** Position after the last item of a page of decisions, ordered newest first. */
export interface Cursor {
  readonly occurredMs: number;
  readonly seq: number;
}

/** A cursor as a client sends it back: the position, and the query it continues. */
export interface BoundCursor {
  readonly after: Cursor;
  /**
   * The fingerprint of the filters of the query the cursor came from (queryFingerprint), or
   * null for a cursor made before cursors were bound to their query.
   */
  readonly query: string | null;
}

/** A query fingerprint: 8 URL-safe characters. */
const FINGERPRINT = /^[A-Za-z0-9_-]{8}$/;

/**
 * Opaque, URL-safe text for a cursor that continues the query of fingerprint `query` (see
 * queryFingerprint) and no other. Keyset positions stay valid while new events arrive.
 */
export function encodeCursor(cursor: Cursor, query: string): string {
  if (!FINGERPRINT.test(query)) throw new RangeError(`not a query fingerprint: ${query}`);
  return Buffer.from(`v2:${cursor.occurredMs}:${cursor.seq}:${query}`).toString('base64url');
}

/** The cursor in `text`, or null when it is not one that `encodeCursor` (or an earlier one) made. */
export function decodeCursor(text: string): BoundCursor | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64url').toString();
  const match =
    /^v2:(-?\d{1,16}):(\d{1,16}):([A-Za-z0-9_-]{8})$/.exec(decoded) ??
    /^v1:(-?\d{1,16}):(\d{1,16})$/.exec(decoded);
  if (!match) return null;
  const occurredMs = Number(match[1]);
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(occurredMs) || !Number.isSafeInteger(seq)) return null;
  return { after: { occurredMs, seq }, query: match[3] ?? null };
}
