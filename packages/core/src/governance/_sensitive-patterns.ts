// The candidate finders behind detectSensitiveText, one per kind. Each returns spans of the
// text; overlaps between kinds are settled by the caller. Every pattern starts only at a
// token boundary (a lookbehind) and has no nested ambiguous repetition, so a 10,000-character
// annotation is scanned in linear time.

export interface Span {
  readonly start: number;
  readonly end: number;
}

function spans(pattern: RegExp, text: string, accept: (match: string) => boolean = () => true) {
  const found: Span[] = [];
  for (const match of text.matchAll(pattern)) {
    if (accept(match[0])) found.push({ start: match.index, end: match.index + match[0].length });
  }
  return found;
}

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

/** Addresses with a dotted domain and an alphabetic top-level label (`user@host` is not one). */
export function emailSpans(text: string): Span[] {
  return spans(EMAIL, text);
}

// Runs of digits joined by single spaces or dashes; cards are looked for among their groups.
const DIGIT_RUN = /(?<![\w.+-])\d+(?:[ -]\d+)*(?!\w|[.-]\d)/g;

/** Card numbers: 13–19 digits (alone or in groups of 3–8) from a card brand's range, Luhn-valid. */
export function cardSpans(text: string): Span[] {
  const found: Span[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const groups = [...run[0].matchAll(/\d+/g)].map((g) => ({
      start: run.index + g.index,
      end: run.index + g.index + g[0].length,
      digits: g[0],
    }));
    let i = 0;
    while (i < groups.length) {
      const card = longestCardFrom(text, groups.slice(i));
      if (card === undefined) i += 1;
      else {
        found.push({ start: card[0].start, end: card[card.length - 1]?.end ?? card[0].end });
        i += card.length;
      }
    }
  }
  return found;
}

type Group = { readonly start: number; readonly end: number; readonly digits: string };

/** The longest run of leading `groups` that is a card number, or undefined. */
function longestCardFrom(text: string, groups: readonly Group[]) {
  let best: readonly [Group, ...Group[]] | undefined;
  let digits = '';
  for (let count = 1; count <= groups.length; count += 1) {
    const parts = groups.slice(0, count) as [Group, ...Group[]];
    digits += parts[count - 1]?.digits ?? '';
    if (digits.length > 19) break;
    if (digits.length < 13 || !/^[2-6]/.test(digits)) continue;
    const separators = new Set(parts.slice(1).map((g) => text[g.start - 1]));
    const grouped = count === 1 || parts.every((g) => g.digits.length >= 3);
    if (grouped && separators.size <= 1 && luhn(digits)) best = parts;
  }
  return best;
}

/** The Luhn check digit test that every payment card number passes. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

// Phone shapes, tried in this order at each token boundary: the international form (+ or 00
// and a country code), a national form with its trunk 0, and the North American 3-3-4 form
// with separators. A bare run of digits is none of them: that is how order numbers, amounts
// and epoch times are written.
const PHONE_END = String.raw`(?!\w|[.,:/-]\d)`;
const PHONE_START = String.raw`(?<![\w+./-])`;
const PHONE = new RegExp(
  `${PHONE_START}(?:${[
    String.raw`(?:\+|\b00)[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:[ .-]?\(\d{1,5}\))?[ .-]?\d{1,14}(?:[ .-]\d{1,8}){0,5}`,
    String.raw`\(?0\d{1,4}\)?[ .-]?\d{2,8}(?:[ .-]\d{2,8}){0,4}`,
    String.raw`(?:1[ .-])?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}`,
  ].join('|')})${PHONE_END}`,
  'g',
);

const DATE_LIKE = /\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}/;

/**
 * Phone numbers of 8–15 digits (a trunk 0 or a 00 prefix not counted) in the shapes above,
 * scanned left to right, none overlapping `cards` (card numbers are not phone numbers).
 */
export function phoneSpans(text: string, cards: readonly Span[]): Span[] {
  const found: Span[] = [];
  const pattern = new RegExp(PHONE);
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    // A shape may run on into the next number ("0151 12345678 555.123.4567"): try the
    // match, then each shorter prefix that ends before a space.
    const start = m.index;
    const clear = (end: number) => !cards.some((card) => card.start < end && start < card.end);
    const end = longestPhonePrefix(m[0], (length) => clear(start + length));
    if (end === undefined) pattern.lastIndex = start + 1;
    else {
      found.push({ start, end: start + end });
      pattern.lastIndex = start + end;
    }
  }
  return found;
}

function longestPhonePrefix(match: string, clear: (length: number) => boolean) {
  for (let end = match.length; end > 0; end -= 1) {
    const whole = end === match.length;
    const cut = whole || (match[end] === ' ' && /\d/.test(match[end - 1] ?? ''));
    if (cut && clear(end) && isPhone(match.slice(0, end))) return end;
  }
  return undefined;
}

function isPhone(candidate: string): boolean {
  if (DATE_LIKE.test(candidate)) return false;
  const digits = candidate.replace(/\D/g, '');
  const significant = candidate.startsWith('+')
    ? digits
    : digits.replace(/^00/, '').replace(/^0/, '');
  if (significant.length < 8 || significant.length > 15) return false;
  // Dots alone: 555.123.4567 is a phone, 192.168.100.200 and 10.0.19041.1234 are not.
  if (/^\d+(?:\.\d+)+$/.test(candidate)) {
    const groups = candidate.split('.');
    const ipv4 = groups.length === 4 && groups.every((g) => g.length <= 3 && Number(g) <= 255);
    return !ipv4 && groups.length >= 3 && groups.every((g) => g.length >= 2 && g.length <= 4);
  }
  return true;
}
