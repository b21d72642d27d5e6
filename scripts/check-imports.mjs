// Enforces the import directions written in docs/architecture.md. Prints every violation.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** Each rule: files under `dir` may not import specifiers matching `forbidden`. */
const RULES = [
  {
    dir: 'packages/core/src',
    forbidden: /^(?!\.|zod$|node:crypto$|node:buffer$)/,
    why: 'the core is pure: relative imports, zod, node:crypto and node:buffer only',
  },
  {
    dir: 'packages/server/src',
    forbidden: /^@declog\/core\/|packages\/core/,
    why: 'the server uses the core through its public index (@declog/core) only',
  },
  {
    dir: 'packages/server/src/services',
    forbidden: /\/(http|cli|store\/sqlite)\//,
    why: 'services know the EventStore interface, not HTTP, the CLI or a store adapter',
  },
  {
    dir: 'packages/server/src/http',
    forbidden: /\/(cli|store)\//,
    why: 'the HTTP layer calls services; it never opens stores',
  },
  {
    dir: 'packages/server/src/store',
    forbidden: /\/(http|cli|services)\//,
    why: 'stores implement the core interface and know nothing above them',
  },
];

/** Only the entry point reads the process (argv, env, exit). */
const PROCESS_ALLOWED = /^packages\/server\/src\/bin\//;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Test fixtures may read files; they are not shipped.
      if (entry.name !== 'fixtures') yield* sourceFiles(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

const IMPORT =
  /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
const problems = [];
for (const rule of RULES) {
  for (const file of sourceFiles(join(root, rule.dir))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (rule.forbidden.test(specifier)) {
        problems.push(`${relative(root, file)}: imports ${specifier}: ${rule.why}`);
      }
    }
  }
}
for (const file of sourceFiles(join(root, 'packages'))) {
  const path = relative(root, file);
  if (PROCESS_ALLOWED.test(path)) continue;
  if (
    /\bprocess\.(argv|env|exit|exitCode|stdout|stderr|stdin|on|once)\b/.test(
      readFileSync(file, 'utf8'),
    )
  ) {
    problems.push(`${path}: touches the process; only packages/server/src/bin may`);
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} import rule violation(s); see docs/architecture.md`);
  process.exit(1);
}
console.log('import rules: ok');
