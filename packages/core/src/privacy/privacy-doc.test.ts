// docs/privacy.md: its failure code table and worked example, recomputed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import type { DecisionEvent } from '../contract/event-schema.js';
import { counterRandom } from './fixtures/personal-events.js';
import { parseMasterKey } from './master-key.js';
import { openPersonalData } from './open-personal-data.js';
import { PRIVACY_FAILURE_CODES } from './privacy-failure-codes.js';
import { restorePersonalData } from './restore-personal-data.js';
import { sealPersonalData } from './seal-personal-data.js';
import { wrapSubjectKey } from './wrap-subject-key.js';

const doc = readFileSync(new URL('../../../../docs/privacy.md', import.meta.url), 'utf8');

/** The JSON of the code block after `<!-- example:name -->`. */
function example(name: string): unknown {
  const match = new RegExp(`<!-- example:${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (match === null) throw new Error(`docs/privacy.md has no example "${name}"`);
  return JSON.parse(match[1] as string);
}

describe('docs/privacy.md', () => {
  it('lists every failure code of the privacy functions, and no other', () => {
    const section = doc.slice(doc.indexOf('## Failure codes'));
    const documented = [...section.matchAll(/^\| `([a-z-]+)` +\|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...PRIVACY_FAILURE_CODES].sort());
  });

  it('shows what sealing the example decision gives', () => {
    const submitted = example('submitted') as DecisionEvent & { id: string };
    const subjectKey = new Uint8Array(32).fill(0x11);
    const { event, sealed } = sealPersonalData(submitted, {
      pointers: ['/input/features', '/cohort', '/rationale/summary'],
      subjectKey,
      random: counterRandom(1),
    });
    expect(canonicalJson(event)).toBe(canonicalJson(example('committed')));
    expect(sealed).toEqual(example('sealed'));
    const opened = openPersonalData(event, sealed, subjectKey);
    if (!opened.ok) throw new Error(opened.reason);
    expect({ salt: opened.salt, values: opened.values }).toEqual(example('plaintext'));
    expect(restorePersonalData(event, opened.values)).toEqual(submitted);
  });

  it('shows what wrapping the example subject key gives', () => {
    const master = parseMasterKey('22'.repeat(16) + '33'.repeat(16));
    if (!master.ok) throw new Error(master.reason);
    const context = { tenant: 'acme', subject: 'customer-17' };
    const wrapped = wrapSubjectKey(
      master.key,
      new Uint8Array(32).fill(0x11),
      context,
      counterRandom(100),
    );
    expect(wrapped).toEqual(example('wrapped'));
  });
});
