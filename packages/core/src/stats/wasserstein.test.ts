import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.js';
import { normals, uniforms } from './fixtures/samples.js';
import { wasserstein } from './wasserstein.js';

describe('wasserstein', () => {
  it("reproduces SciPy 1.10's wasserstein_distance docstring examples", () => {
    expect(wasserstein([0, 1, 3], [5, 6, 8])).toBe(5);
    expect(wasserstein([0, 1], [0, 1], [3, 1], [2, 2])).toBe(0.25);
    expectClose(
      wasserstein([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]),
      4.078133143804786,
    );
  });

  it("matches SciPy's _cdf_distance replayed in NumPy on random samples", () => {
    expectClose(wasserstein(normals(61, 500), normals(62, 300, 0.4, 2)), 0.7165586914293778);
    expectClose(
      wasserstein(normals(63, 50), normals(64, 70, 1), uniforms(65, 50), uniforms(66, 70)),
      1.1778026683293188,
    );
  });

  it('is symmetric, zero on itself, and moves with a shift', () => {
    const sample = fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(sample, sample, fc.double({ min: -10, max: 10, noNaN: true }), (u, v, c) => {
        expect(wasserstein(u, v)).toBeCloseTo(wasserstein(v, u), 9);
        expect(wasserstein(u, [...u].reverse())).toBe(0);
        expectClose(
          wasserstein(
            u,
            u.map((x) => x + c),
          ),
          Math.abs(c),
          1e-9,
          1e-9,
        );
      }),
    );
  });

  it('rejects bad input', () => {
    expect(() => wasserstein([], [1])).toThrow(/u must not be empty/);
    expect(() => wasserstein([1], [1], [1, 2])).toThrow(/uWeights must have as many values as u/);
    expect(() => wasserstein([1], [1], [-1])).toThrow(/uWeights\[0\] must not be negative/);
    expect(() => wasserstein([1], [1], undefined, [0])).toThrow(
      /vWeights must have a positive, finite sum/,
    );
    expect(() => wasserstein([-1e308], [1e308])).toThrow(/finite range/);
  });
});
