import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SERVER_SRC = fileURLToPath(new URL('../packages/server/src', import.meta.url));
const API_DOC = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');

/** Every .ts file under `dir` but tests. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const ACTION = /^(?:denied|[a-z-]+(?:\.[a-z-]+)+)$/;

/** The access-trail actions the server and the CLI record, as their code names them. */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(SERVER_SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const [, action] of text.matchAll(/\baction: '([^']+)'/g)) {
      if (ACTION.test(action as string)) found.add(action as string);
    }
    // Policy routes name their actions after the policy: policies.NAME.read|set|remove.
    for (const [, name] of text.matchAll(
      /policyRoutes\(app, deps, recorded, \{\s*name: '(\w+)'/g,
    )) {
      for (const verb of ['read', 'set', 'remove']) found.add(`policies.${name}.${verb}`);
    }
  }
  return found;
}

/** The actions docs/api.md lists for the access trail. */
function documentedActions(): Set<string> {
  const start = API_DOC.indexOf('`action` is one of');
  const end = API_DOC.indexOf('recorded too', start);
  expect(start, 'docs/api.md lists the access-trail actions').toBeGreaterThan(0);
  const names = [...API_DOC.slice(start, end).matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  return new Set(names.filter((name) => ACTION.test(name)));
}

describe("docs/api.md's list of access-trail actions", () => {
  it('names every action the code records, and no other', () => {
    const recorded = recordedActions();
    // The sources are found: the scan itself is checked.
    expect(recorded).toContain('decisions.read');
    expect(recorded).toContain('policies.masking.set');
    expect([...documentedActions()].sort()).toEqual([...recorded].sort());
  });
});

describe('the RFC the docs name for the Merkle tree', () => {
  it('is RFC 9162 everywhere; RFC 6962 only as what it replaced', () => {
    const docs = fileURLToPath(new URL('../docs', import.meta.url));
    const pages = [
      ...readdirSync(docs)
        .filter((name) => name.endsWith('.md'))
        .map((name) => join(docs, name)),
      fileURLToPath(new URL('../README.md', import.meta.url)),
    ];
    const stray: string[] = [];
    for (const page of pages) {
      for (const [i, line] of readFileSync(page, 'utf8').split('\n').entries()) {
        if (line.includes('6962') && !line.includes('unchanged from RFC 6962')) {
          stray.push(`${page}:${i + 1}: ${line}`);
        }
      }
    }
    expect(stray).toEqual([]);
  });
});
