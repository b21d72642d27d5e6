import { z } from 'zod';
import { NONCE_BYTES, TAG_BYTES } from './_aes-gcm.js';
import { base64Of, base64Text } from './personal-commitment.js';

/**
 * The side record of a sealed event, stored beside (never in) the ledger: the personal
 * values and the commitment's salt, encrypted under the subject's key.
 *
 * `ciphertext ‖ tag = AES-256-GCM(subject key, nonce, canonical JSON of {salt, values},
 * aad = canonical JSON of ["declog/personal/v1", event id, commitment])`; `salt` inside is
 * base64. All binary members are canonical padded base64.
 */
export const SealedPersonalData = z.strictObject({
  alg: z.literal('A256GCM'),
  nonce: base64Of(NONCE_BYTES),
  ciphertext: base64Text,
  tag: base64Of(TAG_BYTES),
});

export type SealedPersonalData = Readonly<z.infer<typeof SealedPersonalData>>;
