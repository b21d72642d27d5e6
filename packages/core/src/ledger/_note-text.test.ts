import { describe, expect, it } from 'vitest';
import { isNoteText } from './_note-text.js';

describe('note text', () => {
  it('allows newlines and any well-formed Unicode', () => {
    expect(isNoteText('a\nb — ünïcode 😀 \u007f\n')).toBe(true);
  });

  it('refuses ASCII controls other than newline, and lone surrogates', () => {
    for (const text of ['\u0000', 'a\tb', '\r\n', '\u001f', '\ud83d', '\ude00x', 'x\ud83d']) {
      expect(isNoteText(text), JSON.stringify(text)).toBe(false);
    }
  });
});
