/**
 * Whether `text` may appear in a signed note: well-formed Unicode (so its UTF-8 is
 * valid) with no ASCII control character below U+0020 except newline. Exactly the
 * rule of c2sp.org/signed-note and Go's sumdb/note, so both accept the same notes.
 */
export function isNoteText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}
