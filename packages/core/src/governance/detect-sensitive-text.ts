import { detectionText, originalRange } from './_detection-text.js';
import { secretSpans } from './_secret-spans.js';
import { cardSpans, emailSpans, phoneSpans, type Span } from './_sensitive-patterns.js';

export const SENSITIVE_KINDS = ['email', 'phone', 'card', 'secret'] as const;
export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];

/** One finding: `text.slice(start, end)` looks like a `kind`. Offsets are UTF-16 indexes. */
export interface SensitiveFinding {
  readonly kind: SensitiveKind;
  readonly start: number;
  readonly end: number;
}

// When spans of two kinds overlap and start together, the more specific kind wins.
const RANK: Readonly<Record<SensitiveKind, number>> = { secret: 0, card: 1, email: 2, phone: 3 };

/**
 * Finds e-mail addresses, phone numbers, payment card numbers and credentials in free text.
 * Findings are in text order and never overlap (the leftmost, then the longest wins). A card
 * number is never also reported as a phone number, even when cards are not asked for.
 * Separators that hide a finding without changing how it reads (a no-break or thin space in a
 * card number, a zero-width space in an address, fullwidth digits) are read as the plain ones
 * they stand for; a finding's offsets are still those of the text given, and take in any
 * invisible character within it.
 *
 * @example detectSensitiveText('mail ann@example.com', ['email']) // [{kind: 'email', start: 5, end: 20}]
 */
export function detectSensitiveText(
  text: string,
  kinds: readonly SensitiveKind[],
): readonly SensitiveFinding[] {
  const detection = detectionText(text);
  return findIn(detection.text, kinds).map((finding) => ({
    kind: finding.kind,
    ...originalRange(detection, finding.start, finding.end),
  }));
}

function findIn(text: string, kinds: readonly SensitiveKind[]): readonly SensitiveFinding[] {
  const wanted = new Set(kinds);
  const cards = wanted.has('card') || wanted.has('phone') ? cardSpans(text) : [];
  const finders: Readonly<Record<SensitiveKind, () => readonly Span[]>> = {
    secret: () => secretSpans(text),
    card: () => cards,
    email: () => emailSpans(text),
    phone: () => phoneSpans(text, cards),
  };
  const kept: SensitiveFinding[] = [];
  for (const kind of SENSITIVE_KINDS) {
    if (wanted.has(kind)) for (const span of finders[kind]()) kept.push({ kind, ...span });
  }
  kept.sort((a, b) => a.start - b.start || b.end - a.end || RANK[a.kind] - RANK[b.kind]);
  const findings: SensitiveFinding[] = [];
  let end = 0;
  for (const c of kept) {
    if (c.start >= end) {
      findings.push(c);
      end = c.end;
    }
  }
  return findings;
}

/**
 * Replaces each finding with `[email]`, `[phone]`, `[card]` or `[secret]`. The findings must be
 * as detectSensitiveText returns them: in order and not overlapping.
 *
 * @example maskSensitiveText(t, detectSensitiveText(t, SENSITIVE_KINDS)) // 'mail [email]'
 */
export function maskSensitiveText(text: string, findings: readonly SensitiveFinding[]): string {
  let out = '';
  let from = 0;
  for (const finding of findings) {
    out += `${text.slice(from, finding.start)}[${finding.kind}]`;
    from = finding.end;
  }
  return out + text.slice(from);
}
