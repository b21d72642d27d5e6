import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '@declog/core';

// Every example of docs/statistics.md, run against the built package the way a user imports it:
// each `<!-- example: NAME -->` is followed by a JavaScript call and the JSON it returns.

const DOC = readFileSync(new URL('../docs/statistics.md', import.meta.url), 'utf8');
const STATISTICS = [
  'ks2samp',
  'chiSquare',
  'jensenShannon',
  'wasserstein',
  'psi',
  'proportionZTest',
  'classificationMetrics',
  'fairnessMetrics',
  'pChart',
  'cChart',
  'stdThreshold',
] as const;

const examples = [
  ...DOC.matchAll(/<!-- example: (\w+) -->\s*```js\n([\s\S]*?)\n```\s*```json\n([\s\S]*?)\n```/g),
].map(([, name = '', code = '', json = '']) => ({ name, code, json }));

describe('docs/statistics.md', () => {
  it('has one example for each statistics function, and every marker is followed by one', () => {
    expect(examples.map((e) => e.name)).toEqual([...STATISTICS]);
    expect(DOC.match(/<!-- example: /g)?.length).toBe(examples.length);
  });

  it.each(examples)('$name: the example returns what the page says', ({ code, json }) => {
    const functions = STATISTICS.map((name) => core[name]);
    const run = new Function(...STATISTICS, `return (${code.trim().replace(/;$/, '')});`) as (
      ...fns: unknown[]
    ) => unknown;
    expect(run(...functions)).toEqual(JSON.parse(json));
  });

  it('lists every statistics function exported by @declog/core in its table', () => {
    for (const name of STATISTICS) {
      expect(typeof core[name]).toBe('function');
      expect(DOC).toContain(`| \`${name}\``);
    }
  });
});
