/**
 * The words of a free text as a full-text index sees them: runs of letters and digits,
 * lower-cased, without diacritics ("Café" is "cafe"), each once. Queries are split the same
 * way, so a word matches exactly when it would be found by eye.
 */
export function textWords(text: string): string[] {
  const words = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().match(WORD);
  return [...new Set(words ?? [])];
}

const WORD = /[\p{L}\p{N}]+/gu;
