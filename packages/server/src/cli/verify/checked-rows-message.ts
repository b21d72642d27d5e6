import type { CheckedRows } from '../../services/ledger/check-rows.js';

const HASH_SIZE = 32;

/** CheckedRows as a worker posts it: the leaf hashes in one buffer, moved rather than copied. */
export interface CheckedRowsMessage extends Omit<CheckedRows, 'leafHashes'> {
  readonly leafHashes: Uint8Array;
}

/** The message for `checked`, and the buffer to transfer with it. */
export function checkedRowsMessage(checked: CheckedRows): {
  readonly message: CheckedRowsMessage;
  readonly transfer: ArrayBuffer;
} {
  const packed = new Uint8Array(checked.leafHashes.length * HASH_SIZE);
  checked.leafHashes.forEach((hash, i) => packed.set(hash, i * HASH_SIZE));
  return { message: { ...checked, leafHashes: packed }, transfer: packed.buffer };
}

/** CheckedRows again, its leaf hashes as views into the one buffer received. */
export function checkedRowsOf(message: CheckedRowsMessage): CheckedRows {
  const { leafHashes: packed } = message;
  const leafHashes = Array.from({ length: packed.length / HASH_SIZE }, (_, i) =>
    packed.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
  );
  return { ...message, leafHashes };
}
