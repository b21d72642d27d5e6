/**
 * Milliseconds since the epoch of an RFC 3339 timestamp already checked by the contract.
 * Sub-millisecond digits are truncated; ordering ties are broken by `seq`.
 */
export function timestampMillis(rfc3339: string): number {
  const millis = Date.parse(rfc3339);
  if (Number.isNaN(millis)) throw new RangeError(`not an RFC 3339 timestamp: ${rfc3339}`);
  return millis;
}
