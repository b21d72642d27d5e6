import type { Span } from './_sensitive-patterns.js';

// Credentials with a recognisable shape: vendors prefix their tokens precisely so that
// scanners can find them without guessing.
const KNOWN = [
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g, // OpenAI, Anthropic
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g, // Stripe
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g, // AWS access key id
  /\bgh[opsur]_[A-Za-z0-9]{30,}/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWT (a JSON header)
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /(?<=\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/-]{16,}=*/gi, // an Authorization header's token
];

// Generic tokens: long unbroken runs of the base64/base64url alphabet.
const TOKEN = /(?<![A-Za-z0-9+/=_.-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/=_-])/g;
// Digests name their algorithm; they identify content and are not secrets.
const DIGEST = String.raw`(?:sha-?\d{1,3}|md5|blake2[bs]?|blake3)[-_:=]`;
const LABELLED_BEFORE = new RegExp(`${DIGEST}$`, 'i');
const LABELLED_WITHIN = new RegExp(`^${DIGEST}`, 'i');

/** Bits per character below which a token is taken for words, not a random key. */
export const SECRET_ENTROPY_BITS = 3.9;

/** Known token shapes, then long random-looking tokens that are not labelled digests. */
export function secretSpans(text: string): Span[] {
  const found: Span[] = [];
  for (const pattern of KNOWN) {
    for (const m of text.matchAll(pattern)) {
      found.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  for (const m of text.matchAll(TOKEN)) {
    const before = text.slice(Math.max(0, m.index - 8), m.index);
    if (isRandomToken(m[0]) && !LABELLED_BEFORE.test(before) && !LABELLED_WITHIN.test(m[0]))
      found.push({ start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/**
 * What random keys look like and identifiers do not: upper case, lower case and digits mixed
 * (case changing at least every third character, digits in two places or more) and a Shannon
 * entropy of at least SECRET_ENTROPY_BITS. Words joined in CamelCase or snake_case, UUIDs and
 * hex digests (one case only) fail it. Misses about 4% of random 32-character tokens and
 * fewer than 0.1% of 48-character ones, the price of not flagging identifiers.
 */
export function isRandomToken(token: string): boolean {
  const body = token.replace(/=+$/, '');
  if (!/[a-z]/.test(body) || !/[A-Z]/.test(body)) return false;
  const caseRuns = body.match(/[A-Z]+|[a-z]+/g)?.length ?? 0;
  const digitRuns = body.match(/\d+/g)?.length ?? 0;
  if (digitRuns < 2 || caseRuns < body.length * 0.3) return false;
  return shannonEntropy(body) >= SECRET_ENTROPY_BITS;
}

/** Shannon entropy of the characters of `text`, in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
