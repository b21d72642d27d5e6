import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  SENSITIVE_KINDS,
  detectSensitiveText,
  maskSensitiveText,
  type SensitiveKind,
} from './detect-sensitive-text.js';

const ALL = SENSITIVE_KINDS;

/** Each positive is found whole, as its kind, inside an ordinary sentence. */
const POSITIVES: readonly (readonly [SensitiveKind, string])[] = [
  ['email', 'ann.lee@example.com'],
  ['email', 'j.doe+loans@mail.example.co.uk'],
  ['email', 'A_B-9@sub-domain.example.org'],
  ['phone', '+49 151 12345678'],
  ['phone', '+4915112345678'],
  ['phone', '+1 (555) 123-4567'],
  ['phone', '+33 6 12 34 56 78'],
  ['phone', '+44 20 7946 0958'],
  ['phone', '+49 (0)30 1234567'],
  ['phone', '0049 151 1234567'],
  ['phone', '0151 12345678'],
  ['phone', '030-1234567'],
  ['phone', '06 12 34 56 78'],
  ['phone', '0612345678'],
  ['phone', '020 7946 0958'],
  ['phone', '(030) 1234567'],
  ['phone', '(555) 123-4567'],
  ['phone', '555-123-4567'],
  ['phone', '555.123.4567'],
  ['phone', '1-555-123-4567'],
  ['card', '4111 1111 1111 1111'],
  ['card', '4111-1111-1111-1111'],
  ['card', '4111111111111111'],
  ['card', '5500 0000 0000 0004'],
  ['card', '3782 822463 10005'],
  ['card', '6011000990139424'],
  ['secret', 'sk-proj-Abc123def456ghi789jkl012mno'],
  ['secret', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['secret', 'AKIAIOSFODNN7EXAMPLE'],
  ['secret', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['secret', 'gho_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['secret', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['secret', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['secret', 'xoxp-1234-5678-abcdefghij'],
  ['secret', 'glpat-xXyYzZ0123456789abcd'],
  ['secret', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'],
  [
    'secret',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  ],
  [
    'secret',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumCL\n-----END RSA PRIVATE KEY-----',
  ],
  ['secret', 'wJa1rXUtnF3MI/K7MD5NG/bPxRfiCY9XAMPL2KEY'],
  ['secret', 'Zx9Qp3LmT7vW2rYs8KdNf4HjGb6Ce1Ua5Xi0'],
];

/** Ordinary rationale and annotation text that must not be flagged at all. */
const NEGATIVES: readonly string[] = [
  'Stable income and no missed payments in 24 months; requested limit is within policy.',
  'Occurred at 2026-11-27T10:00:00.123+01:00 and was reviewed on 2026-12-02.',
  'Reviewed 27.11.2026, again on 11/27/2026 and 2026/11/27 at 10:30:00.',
  'Score 0.91, confidence 0.87, threshold 0.123456789; ratio 3.14159265.',
  'Scores 0.91 0.87 0.45 0.33 were averaged.',
  'Model 4.2.0 replaced 10.0.19041.1234; host 192.168.100.200 served it.',
  'Order 1234567 and ticket #7654321 were closed; invoice 20261127 paid.',
  'Batch 12345678 of 1732700000000 ms; epoch 1732700000.',
  'Limit raised from 12 500 000 to 15 000 000 EUR (1,234,567.89 USD).',
  'Between 2020-2024 the approval rate rose 12%.',
  'Trace 4bf92f3577b34da6a3ce929d0e0e4736 in request req-5f2c.',
  'Subject 550e8400-e29b-41d4-a716-446655440000 appealed.',
  'Input digest sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.',
  'Integrity sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC ok.',
  'Commit 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b deployed.',
  'Features CustomerLifetimeValuePredictionModelV2 and InternationalizationAndLocalization2024.',
  'Key my_feature_store_table_v2_2026_Q3_final and applicant_7781_income_verification_2026.',
  'See s3://features/2026/11/27/application-7781.json and https://models.example.com/v4.',
  'Escalated to the risk team by user@localhost; package react@18.2.0 upgraded.',
  'Token refresh failed; the bearer was not authorised. task-force review.',
  'Call volume rose to 1234 calls; 42 of 100 were escalated.',
];

describe('detectSensitiveText', () => {
  test.each(POSITIVES)('finds the %s %s', (kind, value) => {
    const text = `Noted: ${value} was in the request.`;
    expect(detectSensitiveText(text, ALL)).toEqual([
      { kind, start: 'Noted: '.length, end: 'Noted: '.length + value.length },
    ]);
  });

  test.each(NEGATIVES)('finds nothing in %j', (text) => {
    expect(detectSensitiveText(text, ALL)).toEqual([]);
  });

  test('a Bearer token is found without the word Bearer', () => {
    const text = 'Authorization: Bearer abcDEF123456ghiJKL789mno';
    expect(detectSensitiveText(text, ['secret'])).toEqual([
      { kind: 'secret', start: 22, end: text.length },
    ]);
  });

  test('only the asked kinds are reported', () => {
    const text = 'ann@example.com, +49 151 12345678';
    expect(detectSensitiveText(text, ['phone']).map((f) => f.kind)).toEqual(['phone']);
    expect(detectSensitiveText(text, [])).toEqual([]);
  });

  test('a card number is not also a phone number, even when cards are not asked for', () => {
    expect(detectSensitiveText('pay 4111 1111 1111 1111', ['phone'])).toEqual([]);
    expect(detectSensitiveText('pay 4111 1111 1111 1111', ALL)).toHaveLength(1);
  });

  test('a card number that fails the Luhn check or lies outside card ranges is not a card', () => {
    expect(detectSensitiveText('4111 1111 1111 1112', ['card'])).toEqual([]);
    expect(detectSensitiveText('1111 1111 1111 1117', ['card'])).toEqual([]);
  });

  test('finds several findings in order', () => {
    const text = 'Mail ann@example.com or call +44 20 7946 0958, card 4111111111111111.';
    expect(detectSensitiveText(text, ALL).map((f) => text.slice(f.start, f.end))).toEqual([
      'ann@example.com',
      '+44 20 7946 0958',
      '4111111111111111',
    ]);
  });

  test('scans a long text of token characters quickly', () => {
    const started = performance.now();
    detectSensitiveText(`${'a1.'.repeat(3000)} ${'9 '.repeat(2000)} ${'x'.repeat(10_000)}`, ALL);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('detectSensitiveText behind Unicode separators', () => {
  // Each character once in place of the spaces of a card and a phone number, and once inside
  // an e-mail address; the masked text keeps everything around the finding.
  const SPACES: readonly (readonly [string, string])[] = [
    ['no-break space', '\u00a0'],
    ['narrow no-break space', '\u202f'],
    ['figure space', '\u2007'],
    ['thin space', '\u2009'],
    ['hair space', '\u200a'],
    ['ideographic space', '\u3000'],
  ];
  const INVISIBLE: readonly (readonly [string, string])[] = [
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner', '\u200c'],
    ['zero-width joiner', '\u200d'],
    ['word joiner', '\u2060'],
    ['byte order mark', '\ufeff'],
    ['soft hyphen', '\u00ad'],
    ['left-to-right mark', '\u200e'],
    ['Mongolian vowel separator', '\u180e'],
    ['tag space', '\u{e0020}'],
  ];

  function expectMasked(text: string, kind: SensitiveKind, masked: string): void {
    const findings = detectSensitiveText(text, ALL);
    expect(findings.map((f) => f.kind)).toEqual([kind]);
    expect(maskSensitiveText(text, findings)).toBe(masked);
  }

  test.each([...SPACES, ...INVISIBLE])('finds a card number split by a %s', (_name, sep) => {
    expectMasked(`card ${['4111', '1111', '1111', '1111'].join(sep)} ok`, 'card', 'card [card] ok');
  });

  test.each([...SPACES, ...INVISIBLE])('finds a phone number split by a %s', (_name, sep) => {
    expectMasked(`call ${['+49', '151', '12345678'].join(sep)} now`, 'phone', 'call [phone] now');
    expectMasked(`call 0151${sep}12345678 now`, 'phone', 'call [phone] now');
  });

  test.each(INVISIBLE)('finds an e-mail address split by a %s', (_name, sep) => {
    expectMasked(
      `mail ann${sep}@exam${sep}ple.com${sep} today`,
      'email',
      `mail [email]${sep} today`,
    );
    expectMasked(`mail ${sep}ann.lee@example.com!`, 'email', `mail ${sep}[email]!`);
  });

  test.each([
    ['no-break hyphens', '4111\u20111111\u20111111\u20111111', 'card'],
    ['en dashes', '4111\u20131111\u20131111\u20131111', 'card'],
    ['fullwidth digits and dashes', '０３－１２３４－５６７８', 'phone'],
    ['a fullwidth at sign', 'ann＠example.com', 'email'],
  ])('reads %s as their ASCII forms', (_name, value, kind) => {
    expectMasked(`x ${value} y`, kind as SensitiveKind, `x [${kind}] y`);
  });

  test('gives offsets in the text as given, surrogate pairs included', () => {
    const text = '😀 4111\u200b1111\u200b1111\u200b1111 😀';
    const [finding] = detectSensitiveText(text, ['card']);
    expect(finding).toEqual({ kind: 'card', start: 3, end: 3 + 19 });
  });
});

describe('maskSensitiveText', () => {
  test('replaces each finding with its kind', () => {
    const text = 'Mail ann@example.com, key AKIAIOSFODNN7EXAMPLE.';
    expect(maskSensitiveText(text, detectSensitiveText(text, ALL))).toBe(
      'Mail [email], key [secret].',
    );
  });

  // Texts assembled from sensitive values, harmless words and separators.
  const pieces = fc.constantFrom(
    ...POSITIVES.map(([, v]) => v),
    ...NEGATIVES,
    ' ',
    ', ',
    '\n',
    '(',
    ')',
    'see',
    '0',
    '42',
  );
  const texts = fc.oneof(
    fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join(' ')),
    fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join('')),
    fc.string({ unit: 'binary', maxLength: 80 }),
  );
  // Pieces glued without a space change each other's boundaries, so that masking one can
  // reveal its neighbour (`-----END KEY-----4111-…` holds no card until the key is masked).
  const spaced = fc
    .array(pieces, { maxLength: 8 })
    .map((parts) => parts.join(' '))
    .filter((text) => !/\S\[/.test(text));
  const kinds = fc.subarray([...ALL]);

  test('findings are in range, in order and never overlap (property)', () => {
    fc.assert(
      fc.property(texts, kinds, (text, wanted) => {
        let end = 0;
        for (const f of detectSensitiveText(text, wanted)) {
          expect(wanted).toContain(f.kind);
          expect(f.start).toBeGreaterThanOrEqual(end);
          expect(f.end).toBeGreaterThan(f.start);
          expect(f.end).toBeLessThanOrEqual(text.length);
          end = f.end;
        }
      }),
    );
  });

  test('masking leaves nothing to find in text of separate words (property)', () => {
    fc.assert(
      fc.property(spaced, kinds, (text, wanted) => {
        const masked = maskSensitiveText(text, detectSensitiveText(text, wanted));
        expect(detectSensitiveText(masked, wanted)).toEqual([]);
      }),
    );
  });

  test('a text without findings is unchanged (property)', () => {
    fc.assert(
      fc.property(texts, kinds, (text, wanted) => {
        const findings = detectSensitiveText(text, wanted);
        fc.pre(findings.length === 0);
        expect(maskSensitiveText(text, findings)).toBe(text);
      }),
    );
  });

  test('masking keeps the text outside the findings (property)', () => {
    fc.assert(
      fc.property(texts, kinds, (text, wanted) => {
        const findings = detectSensitiveText(text, wanted);
        const masked = maskSensitiveText(text, findings);
        const outside = (t: string, spans: readonly { start: number; end: number }[]) => {
          let from = 0;
          let kept = '';
          for (const s of spans) {
            kept += t.slice(from, s.start);
            from = s.end;
          }
          return kept + t.slice(from);
        };
        const tokens = [...masked.matchAll(/\[(email|phone|card|secret)\]/g)].map((m) => ({
          start: m.index,
          end: m.index + m[0].length,
        }));
        expect(outside(masked, tokens)).toBe(outside(text, findings));
      }),
    );
  });
});
