import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FINGERPRINT_MODULUS,
  elementWeight,
  fingerprintOf,
  fingerprintOfWeights,
  mulMod,
  positionsFingerprint,
  valueHasher,
} from './index-fingerprint.js';
import { expectedElements, type ExpectedPosition } from './index-page-problem.js';
import type { IndexElement, IndexSetKind } from './index-reader.js';
import type { IndexFacts } from './index-facts.js';

const P = BigInt(FINGERPRINT_MODULUS);
const key = { multiplier: 123_456_789, secret: new Uint8Array(32).fill(3) };
const hash = valueHasher(key.secret);

const element = fc.record({
  seq: fc.nat({ max: 1e9 }),
  value: fc.string({ maxLength: 6 }),
  position: fc.nat({ max: 300 }),
});

/** The fingerprint computed with exact integers, from its definition. */
function reference(elements: readonly IndexElement[]): number {
  let sum = 0n;
  for (const e of elements) {
    const w = ((BigInt(e.seq) % P) * BigInt(key.multiplier) + BigInt(e.position) + 1n) % P;
    sum = (sum + BigInt(hash(e.value)) * w) % P;
  }
  return Number(sum);
}

describe('index fingerprints', () => {
  it('multiply exactly below the modulus', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: FINGERPRINT_MODULUS - 1 }),
        fc.nat({ max: FINGERPRINT_MODULUS - 1 }),
        (a, b) => {
          expect(mulMod(a, b)).toBe(Number((BigInt(a) * BigInt(b)) % P));
        },
      ),
    );
  });

  it('are the definition, summed in any order', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 40 }), (elements) => {
        expect(fingerprintOf(elements, key.multiplier, hash)).toBe(reference(elements));
        expect(fingerprintOf([...elements].reverse(), key.multiplier, hash)).toBe(
          reference(elements),
        );
      }),
    );
  });

  it('weigh every element, those of seq 0 included', () => {
    expect(elementWeight(0, 0, key.multiplier)).toBe(1);
    expect(fingerprintOf([{ seq: 0, value: 'a', position: 0 }], key.multiplier, hash)).not.toBe(0);
  });

  it('differ when an element is added, removed, or moved to another seq or position', () => {
    fc.assert(
      fc.property(
        fc.array(element, { minLength: 1, maxLength: 20 }),
        element,
        (elements, other) => {
          const before = fingerprintOf(elements, key.multiplier, hash);
          expect(fingerprintOf([...elements, other], key.multiplier, hash)).not.toBe(before);
          expect(fingerprintOf(elements.slice(1), key.multiplier, hash)).not.toBe(before);
          const [first, ...rest] = elements as [IndexElement, ...IndexElement[]];
          const moved = { ...first, seq: first.seq + 1 };
          expect(fingerprintOf([moved, ...rest], key.multiplier, hash)).not.toBe(before);
        },
      ),
    );
  });

  it('are what a store sums per value (and per block), once h is applied', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 40 }), (elements) => {
        const sums = new Map<string, { value: string; block: number; weight: number }>();
        for (const e of elements) {
          const block = e.seq >> 12;
          const at = `${e.value}\u0000${block}`;
          const w = elementWeight(e.seq, e.position, key.multiplier);
          const found = sums.get(at) ?? { value: e.value, block, weight: 0 };
          sums.set(at, { ...found, weight: (found.weight + w) % FINGERPRINT_MODULUS });
        }
        const byBlock = fingerprintOfWeights(sums.values(), hash);
        const total = [...byBlock.values()].reduce((a, b) => (a + b) % FINGERPRINT_MODULUS, 0);
        expect(total).toBe(reference(elements));
      }),
    );
  });

  it("of positions, without listing their elements, are those of expectedElements'", () => {
    const decision = (seq: number, terms: string[]): ExpectedPosition => ({
      seq,
      terms,
      facts: {
        decision: {
          model: 'm',
          modelVersion: '1',
          subject: null,
          reasonCodes: ['a', 'b'],
          labels: [
            ['team', 'risk'],
            ['x', 'y'],
          ],
          summary: terms.join(' '),
        },
      } as unknown as IndexFacts,
    });
    const positions = [
      decision(0, ['income', 'is', 'income']),
      decision(7, ['low']),
      decision(9, []),
    ];
    for (const kind of ['reason', 'label', 'text'] as IndexSetKind[]) {
      for (const positioned of [true, false]) {
        const listed = positions.flatMap((p) => expectedElements(p, kind, positioned));
        expect(positionsFingerprint(positions, kind, positioned, key.multiplier, hash)).toBe(
          reference(listed),
        );
      }
    }
  });
});
