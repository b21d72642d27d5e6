import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { nearObjects } from '../privacy/fixtures/schema-inputs.js';
import { Event } from './event-schema.js';
import {
  actionArbitrary,
  annotationArbitrary,
  decisionArbitrary,
  outcomeArbitrary,
} from './fixtures/event-arbitraries.js';
import { validateEvent } from './validate-event.js';

describe('the generated validator of the contract', () => {
  const compiled = z.compile(Event);

  test('compiles the whole schema, with no part left to the interpreter', () => {
    expect(() => z.compile(Event, { strict: true })).not.toThrow();
  });

  test.each([
    ['decision', decisionArbitrary],
    ['action', actionArbitrary],
    ['outcome', outcomeArbitrary],
    ['annotation', annotationArbitrary],
  ])('gives the interpreter’s verdict on %s-like inputs', (_name, arbitrary) => {
    const near = nearObjects(arbitrary, fc.oneof(fc.jsonValue({ maxDepth: 2 }), arbitrary));
    fc.assert(
      fc.property(near, (input) => {
        const verdict = Event.safeParse(input).success;
        expect(compiled.validate(input)).toBe(verdict);
        expect(validateEvent(input).ok).toBe(verdict);
      }),
      { numRuns: 3000 },
    );
  });
});
