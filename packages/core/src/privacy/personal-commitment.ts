import { z } from 'zod';
import { decodeBase64 } from '../ledger/_base64.js';
import { transientBytes } from '../ledger/_bytes.js';
import { parsePointer } from './_json-pointer.js';

// The bytes are only checked here, so they are decoded into scratch memory (transientBytes):
// memory of their own would cost more than the check, on every read of a sealed event.

/** Canonical padded base64 of exactly `bytes` bytes. */
export function base64Of(bytes: number) {
  return z.string().refine((text) => decodeBase64(text, transientBytes)?.length === bytes, {
    message: `must be the base64 of ${bytes} bytes`,
  });
}

/** Canonical padded base64 of any length. */
export const base64Text = z
  .string()
  .refine((text) => decodeBase64(text, transientBytes) !== undefined, {
    message: 'must be base64',
  });

/**
 * The `personal` member of a sealed event, part of its ledger leaf: which fields were taken
 * out (concrete RFC 6901 pointers, sorted, unique) and
 * `commitment = base64(SHA-256(salt ‖ canonical JSON of {pointer: value}))` with a 32-byte
 * random salt that only the sealed record holds.
 */
export const PersonalCommitment = z.strictObject({
  fields: z
    .array(z.string().refine((p) => parsePointer(p) !== undefined, 'must be a JSON Pointer'))
    .min(1)
    .refine((fields) => fields.every((f, i) => i === 0 || (fields[i - 1] as string) < f), {
      message: 'must be sorted and unique',
    }),
  commitment: base64Of(32),
});

export type PersonalCommitment = Readonly<z.infer<typeof PersonalCommitment>>;

/** The personal values of one event, by concrete pointer. */
export type PersonalValues = Readonly<Record<string, unknown>>;

/** An event (stored or about to be) that may carry a `personal` member. */
export interface WithPersonal {
  readonly personal?: PersonalCommitment;
}
