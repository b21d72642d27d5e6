import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { verifyPersonalCommitment } from './verify-personal-commitment.js';

const salt = Buffer.alloc(32, 7).toString('base64');
const values = { '/cohort': { sex: 'F' }, '/input/features': { income: 54000 } };
// Built from the definition in docs/privacy.md, not with the code under test.
const personal = {
  fields: ['/cohort', '/input/features'],
  commitment: createHash('sha256')
    .update(Buffer.alloc(32, 7))
    .update(canonicalJson(values))
    .digest('base64'),
};

describe('verifyPersonalCommitment', () => {
  it('accepts the disclosed values and salt a leaf committed to', () => {
    expect(verifyPersonalCommitment(personal, salt, values)).toEqual({ ok: true });
    // Member order of the disclosure does not matter: the commitment is over canonical JSON.
    const reordered = { '/input/features': { income: 54000 }, '/cohort': { sex: 'F' } };
    expect(verifyPersonalCommitment(personal, salt, reordered)).toEqual({ ok: true });
  });

  it('rejects other values, another salt, missing or extra fields and a bad salt', () => {
    const check = (s: string, v: Record<string, unknown>) =>
      verifyPersonalCommitment(personal, s, v);
    expect(check(salt, { ...values, '/cohort': { sex: 'M' } })).toMatchObject({
      code: 'commitment-mismatch',
    });
    expect(check(Buffer.alloc(32, 8).toString('base64'), values)).toMatchObject({
      code: 'commitment-mismatch',
    });
    expect(check(salt, { '/cohort': { sex: 'F' } })).toMatchObject({ code: 'fields-mismatch' });
    expect(check(salt, { ...values, '/rationale/summary': 'x' })).toMatchObject({
      code: 'fields-mismatch',
    });
    expect(check('c2FsdA==', values)).toMatchObject({ code: 'malformed-salt' });
  });
});
