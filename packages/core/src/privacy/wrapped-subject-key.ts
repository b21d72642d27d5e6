import { z } from 'zod';
import { canonicalJson } from '../canonical-json.js';
import { utf8 } from '../ledger/_bytes.js';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES } from './_aes-gcm.js';
import { base64Of } from './personal-commitment.js';

/** Whose key a wrapped record holds; both are bound into the record as authenticated data. */
export interface SubjectKeyContext {
  readonly tenant: string;
  readonly subject: string;
}

/**
 * A subject key at rest: `wrapped_key ‖ tag = AES-256-GCM(master key, nonce, subject key,
 * aad = canonical JSON of ["declog/subject-key/v1", tenant, subject])`, naming the master
 * key that wrapped it. Binary members are canonical padded base64.
 */
export const WrappedSubjectKey = z.strictObject({
  alg: z.literal('A256GCM'),
  master_key_id: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex digits'),
  nonce: base64Of(NONCE_BYTES),
  wrapped_key: base64Of(KEY_BYTES),
  tag: base64Of(TAG_BYTES),
});

export type WrappedSubjectKey = Readonly<z.infer<typeof WrappedSubjectKey>>;

/** The additional data of a wrapped subject key. */
export function subjectKeyAad(context: SubjectKeyContext): Uint8Array {
  return utf8(canonicalJson(['declog/subject-key/v1', context.tenant, context.subject]));
}
