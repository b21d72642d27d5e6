import { canonicalJson } from '../canonical-json.js';
import { transientUtf8 } from '../ledger/_bytes.js';
import type { WrapContext } from './_key-wrap.js';
import { WrappedKey } from './wrapped-key.js';

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
export const WrappedSubjectKey = WrappedKey;

export type WrappedSubjectKey = WrappedKey;

/** The additional data of a wrapped subject key. */
export function subjectKeyAad(context: SubjectKeyContext): Uint8Array {
  // Used by the call it is made for and dropped: see transientUtf8.
  return transientUtf8(canonicalJson(['declog/subject-key/v1', context.tenant, context.subject]));
}

export function subjectKeyWrapContext(context: SubjectKeyContext): WrapContext {
  return { aad: subjectKeyAad(context), owner: 'this tenant and subject' };
}
