import { describe, expect, it } from 'vitest';
import { textWords } from './text-words.js';

describe('textWords', () => {
  it('splits on anything but letters and digits, lower-cases, and keeps each word once', () => {
    expect(textWords('Income LOW; income-low. Ratio=0.42')).toEqual([
      'income',
      'low',
      'ratio',
      '0',
      '42',
    ]);
  });

  it('drops diacritics, keeps other scripts', () => {
    expect(textWords('Café Ölçek 収入')).toEqual(['cafe', 'olcek', '収入']);
  });

  it('has no words in blank or punctuation-only text', () => {
    expect(textWords(' -- ')).toEqual([]);
  });
});
