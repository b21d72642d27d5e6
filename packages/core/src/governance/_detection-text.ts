/**
 * Text as the sensitive-text finders read it, and where each of its UTF-16 code units came
 * from in the original. Characters that hide a number or an address from a pattern without
 * changing how it reads are undone: invisible format characters (zero-width space, joiner and
 * non-joiner, word joiner, BOM, soft hyphen and every other default-ignorable code point) are
 * removed; the other space separators (no-break, narrow no-break, figure, thin, ideographic
 * spaces…) become a space; hyphens and dashes written inside numbers (U+2010–U+2013, minus
 * sign) become `-`; and fullwidth ASCII forms (`０３－１２３４`, `＠`) become ASCII.
 */
export interface DetectionText {
  readonly text: string;
  /** `origin[i]` is the original index of `text[i]`; null when `text` is the original. */
  readonly origin: readonly number[] | null;
}

const HIDING =
  /[\p{Default_Ignorable_Code_Point}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2010-\u2013\u2212\ufe63\uff01-\uff5e]/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;
const DASHES = /[\u2010-\u2013\u2212\ufe63]/;

export function detectionText(text: string): DetectionText {
  // Most texts hold none of these: they are read as they are.
  if (!HIDING.test(text)) return { text, origin: null };
  let out = '';
  const origin: number[] = [];
  for (let at = 0; at < text.length;) {
    const point = text.codePointAt(at) as number;
    const char = String.fromCodePoint(point);
    if (!IGNORABLE.test(char)) {
      const mapped = SPACES.test(char)
        ? ' '
        : DASHES.test(char)
          ? '-'
          : point >= 0xff01 && point <= 0xff5e
            ? String.fromCharCode(point - 0xfee0)
            : char;
      out += mapped;
      // Every code unit of the original character (two for a surrogate pair) is kept or
      // mapped to one: each maps back to where that character starts.
      for (let unit = 0; unit < mapped.length; unit += 1) origin.push(at + unit);
    }
    at += char.length;
  }
  return { text: out, origin };
}

/**
 * The original range of the detection text's range `start`–`end` (end exclusive): from its
 * first character to its last, including whatever was removed between them.
 */
export function originalRange(
  detection: DetectionText,
  start: number,
  end: number,
): { readonly start: number; readonly end: number } {
  const { origin } = detection;
  if (origin === null) return { start, end };
  return { start: origin[start] as number, end: (origin[end - 1] as number) + 1 };
}
