import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDir } from './helpers/temp-dir.js';

// scripts/check-engines.mjs fails npm test when the lock file installs a package that does not
// run on the oldest Node the workspace states: what `npm ci` only warns about (EBADENGINE).

const SCRIPT = fileURLToPath(new URL('../scripts/check-engines.mjs', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
const tmp = useTempDir('check-engines');
let trees = 0;

function check(root: string): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}

/** A tree holding a package.json stating `engines` and a lock file of `packages`. */
function tree(engines: string, packages: Record<string, object>): string {
  trees += 1;
  const root = join(tmp.path, `tree-${trees}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ engines: { node: engines } }));
  writeFileSync(
    join(root, 'package-lock.json'),
    JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...packages } }),
  );
  return root;
}

describe('the engines check', () => {
  it('passes this repository: npm ci on the stated Node warns of no engine', () => {
    const result = check(REPOSITORY);
    expect(result.output).toMatch(/^engines: ok, every installed package runs on node 20\.19\.0/);
    expect(result.code).toBe(0);
  });

  it('names a package that needs a newer Node than the workspace states', () => {
    const root = tree('>=20.19', {
      'node_modules/cookie': { version: '2.0.2', engines: { node: '>=22' } },
      'node_modules/fine': { version: '1.0.0', engines: { node: '>=18 || >=20.19.0 <21' } },
      'node_modules/a/node_modules/old': { version: '3.0.0', engines: { node: '^18' } },
      'packages/server': { version: '0.1.0', engines: { node: '>=99' }, link: true },
    });
    const result = check(root);
    expect(result.code).toBe(1);
    expect(result.output).toContain('cookie@2.0.2 needs node >=22 (node_modules/cookie)');
    expect(result.output).toContain('old@3.0.0 needs node ^18');
    expect(result.output).not.toContain('fine@');
    expect(result.output).toContain('2 installed package(s) do not run on node 20.19.0');
  });

  it('refuses a workspace that states no Node', () => {
    const root = tree('', {});
    writeFileSync(join(root, 'package.json'), '{}');
    expect(check(root)).toMatchObject({ code: 1, output: expect.stringContaining('engines.node') });
  });
});
