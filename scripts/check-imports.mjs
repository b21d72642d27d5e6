// Enforces the import directions written in docs/architecture.md. Prints every violation.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The repository, or the tree named by the first argument (the tests plant imports there).
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;

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
  {
    dir: 'packages/sdk/src',
    except: /^packages\/sdk\/src\/node\//,
    forbidden: /^(?!\.|@declog\/core\/contract$|@opentelemetry\/api$)/,
    why: 'the SDK runs in any runtime with fetch: relative imports, @declog/core/contract and @opentelemetry/api only (node: modules only under src/node/)',
  },
  {
    dir: 'packages/sdk/src/node',
    forbidden: /^(?!\.|node:|@declog\/core\/contract$|declog\/embedded$)/,
    why: "the SDK's Node-only files use relative imports, node: modules, @declog/core/contract and the server's embedded entry (declog/embedded) only",
  },
  {
    dir: 'packages/web/src',
    forbidden:
      /^(?!\.|preact$|preact\/hooks$|wouter-preact$|uplot$|uplot\/dist\/uPlot\.min\.css$|@declog\/core\/contract$)/,
    why: 'the dashboard runs in the browser and reads only the public API: relative imports, preact, wouter-preact, uplot and @declog/core/contract only',
  },
];

/** The pure entry of the core: every module it reaches imports only relative modules and zod. */
const PURE_ENTRY = 'packages/core/src/contract/index.ts';
const PURE_ALLOWED = /^(\.|zod$)/;

/**
 * The server's embedded entry (declog/embedded), loaded by the SDK's embedded mode on the
 * producer's thread: every module it reaches imports only relative modules, node: modules and
 * the core, so that no native module (better-sqlite3) or server framework loads there; the
 * database is opened on a thread of its own.
 */
const EMBEDDED_ENTRY = 'packages/server/src/embedded.ts';
const EMBEDDED_ALLOWED = /^(\.|node:|@declog\/core$)/;

/**
 * Only the entry point reads the process (argv, env, exit), and the SDK's Node-only files (its
 * spool lock reads pids; it flushes on beforeExit).
 */
const PROCESS_ALLOWED = /^packages\/server\/src\/bin\/|^packages\/sdk\/src\/node\//;

function* sourceFiles(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Test fixtures may read files; they are not shipped.
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') yield* sourceFiles(path);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) yield path;
  }
}

// Static imports and re-exports, side-effect imports, and dynamic import() with a literal.
const IMPORT =
  /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
/** A dynamic import() whose specifier is not a literal escapes every rule: refused in the SDK. */
const COMPUTED_IMPORT = /\bimport\(\s*(?![)'"])/;

function importsOf(file) {
  return staticAndDynamicImportsOf(file).map((i) => i.specifier);
}

function staticAndDynamicImportsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => ({
    specifier: match[1] ?? match[2] ?? match[3],
    dynamic: match[3] !== undefined,
  }));
}

const problems = [];
for (const rule of RULES) {
  for (const file of sourceFiles(join(root, rule.dir))) {
    if (rule.except?.test(relative(root, file))) continue;
    for (const specifier of importsOf(file)) {
      if (rule.forbidden.test(specifier)) {
        problems.push(`${relative(root, file)}: imports ${specifier}: ${rule.why}`);
      }
    }
  }
}
const SDK_NODE = join(root, 'packages/sdk/src/node');
for (const file of sourceFiles(join(root, 'packages/sdk/src'))) {
  if (COMPUTED_IMPORT.test(readFileSync(file, 'utf8'))) {
    problems.push(
      `${relative(root, file)}: import() of a computed specifier, which no rule can check`,
    );
  }
  if (file.startsWith(`${SDK_NODE}/`)) continue;
  // The HTTP path must load in any runtime: Node-only files are reached by import() alone.
  for (const { specifier, dynamic } of staticAndDynamicImportsOf(file)) {
    const target = resolve(dirname(file), specifier);
    if (!dynamic && specifier.startsWith('.') && target.startsWith(`${SDK_NODE}/`)) {
      problems.push(
        `${relative(root, file)}: imports ${specifier} statically: the SDK loads its Node-only files (src/node/) with import() only`,
      );
    }
  }
}
// Walks an entry's import graph, so a forbidden import two files away is found too.
function walkEntry(entry, allowed, why) {
  if (!existsSync(join(root, entry))) return;
  const seen = new Set();
  const pending = [join(root, entry)];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(file)) {
      if (!allowed.test(specifier)) {
        problems.push(
          `${relative(root, file)}: imports ${specifier}, reached from ${entry}: ${why}`,
        );
      } else if (specifier.startsWith('.')) {
        pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      }
    }
  }
}
walkEntry(PURE_ENTRY, PURE_ALLOWED, "the core's pure entry imports only relative modules and zod");
walkEntry(
  EMBEDDED_ENTRY,
  EMBEDDED_ALLOWED,
  "the server's embedded entry imports only relative modules, node: modules and @declog/core (its database opens on a thread of its own)",
);
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
