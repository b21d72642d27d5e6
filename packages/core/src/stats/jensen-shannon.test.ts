import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.js';
import { uniforms } from './fixtures/samples.js';
import { jensenShannon } from './jensen-shannon.js';

const weights = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), {
  minLength: 1,
  maxLength: 30,
});

describe('jensenShannon', () => {
  it("reproduces SciPy 1.10's jensenshannon docstring examples", () => {
    expect(jensenShannon([1, 0, 0], [0, 1, 0], { base: 2 })).toBe(1);
    expectClose(jensenShannon([1, 0], [0.5, 0.5]), 0.46450140402245893);
    expect(jensenShannon([1, 0, 0], [1, 0, 0])).toBe(0);
  });

  it('normalises its inputs (NumPy reference on 12 random weights)', () => {
    expectClose(jensenShannon(uniforms(71, 12), uniforms(72, 12)), 0.3221972906746492);
    expectClose(jensenShannon(uniforms(71, 12), uniforms(72, 12), { base: 2 }), 0.3869983858796026);
  });

  it('is symmetric and bounded by √(ln 2)', () => {
    fc.assert(
      fc.property(weights, weights, (p, q) => {
        const n = Math.min(p.length, q.length);
        const [a, b] = [p.slice(0, n), q.slice(0, n)];
        fc.pre(a.some((v) => v > 0) && b.some((v) => v > 0));
        const d = jensenShannon(a, b);
        expect(jensenShannon(b, a)).toBe(d);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-12);
        expect(jensenShannon(a, a)).toBe(0);
      }),
    );
  });

  it('rejects bad input', () => {
    expect(() => jensenShannon([1], [1, 2])).toThrow(/q must have as many values as p/);
    expect(() => jensenShannon([0, 0], [1, 2])).toThrow(/p must have a positive, finite sum/);
    expect(() => jensenShannon([1, -1, 3], [1, 2, 3])).toThrow(/p\[1\] must not be negative/);
    expect(() => jensenShannon([1], [1], { base: 1 })).toThrow(
      /options.base must be greater than 1/,
    );
  });
});
