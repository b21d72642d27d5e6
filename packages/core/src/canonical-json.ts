import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON text of a value: sorted keys, no whitespace, ECMAScript number
 * formatting. Ledger leaves are these bytes, so anyone can recompute them. Meant for values
 * parsed from JSON: functions and other non-JSON values are not rejected reliably.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
