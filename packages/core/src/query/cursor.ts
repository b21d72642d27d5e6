/** Position after the last item of a page of decisions, ordered newest first. */
export interface Cursor {
  readonly occurredMs: number;
  readonly seq: number;
}

/** Opaque, URL-safe text for a cursor. Keyset positions stay valid while new events arrive. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`v1:${cursor.occurredMs}:${cursor.seq}`).toString('base64url');
}

/** The cursor in `text`, or null when it is not one that `encodeCursor` made. */
export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) return null;
  const match = /^v1:(-?\d{1,16}):(\d{1,16})$/.exec(Buffer.from(text, 'base64url').toString());
  if (!match) return null;
  const occurredMs = Number(match[1]);
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(occurredMs) || !Number.isSafeInteger(seq)) return null;
  return { occurredMs, seq };
}
