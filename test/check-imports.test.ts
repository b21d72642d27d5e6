import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDir } from './helpers/temp-dir.js';

// scripts/check-imports.mjs enforces the import rules of docs/architecture.md; these tests plant
// forbidden imports in a scratch tree and check that each is found.

const SCRIPT = fileURLToPath(new URL('../scripts/check-imports.mjs', import.meta.url));
const tmp = useTempDir('check-imports');
let trees = 0;

function check(files: Record<string, string>): { code: number | null; output: string } {
  trees += 1;
  const root = join(tmp.path, `tree-${trees}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const result = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe('the import rules check', () => {
  it('passes a tree that keeps the rules', () => {
    const result = check({
      'packages/sdk/src/index.ts': [
        "import { validateEvent } from '@declog/core/contract';",
        "import type { TraceApi } from './trace.js';",
        "const load = () => import('./node/spool.js');",
        "const otel = () => import('@opentelemetry/api');",
      ].join('\n'),
      'packages/sdk/src/node/spool.ts':
        "import { open } from 'node:fs/promises';\nprocess.kill(1, 0);",
      'packages/core/src/contract/index.ts': "export { x } from './x.js';",
      'packages/core/src/contract/x.ts': "import { z } from 'zod';",
      'packages/sdk/src/node/embedded.ts':
        "import type { EmbeddedLog } from 'declog/embedded';\nconst open = () => import('declog/embedded');",
      'packages/server/src/embedded.ts': "export { open } from './runtime/open.js';",
      'packages/server/src/runtime/open.ts':
        "import { Worker } from 'node:worker_threads';\nimport type { X } from '@declog/core';",
    });
    expect(result.output).toContain('import rules: ok');
    expect(result.code).toBe(0);
  });

  it('finds node: modules, other packages and the core’s full entry in the SDK’s HTTP path, static or dynamic', () => {
    const result = check({
      'packages/sdk/src/a.ts': "import { readFile } from 'node:fs/promises';",
      'packages/sdk/src/b.ts': "const fs = await import('node:fs');",
      'packages/sdk/src/c.ts': "import { validateEvent } from '@declog/core';",
      'packages/sdk/src/d.ts': "export * from 'undici';",
    });
    expect(result.code).toBe(1);
    for (const line of [
      'packages/sdk/src/a.ts: imports node:fs/promises',
      'packages/sdk/src/b.ts: imports node:fs',
      'packages/sdk/src/c.ts: imports @declog/core:',
      'packages/sdk/src/d.ts: imports undici',
    ]) {
      expect(result.output).toContain(line);
    }
  });

  it('finds a static import of a Node-only file and an import() it cannot read', () => {
    const result = check({
      'packages/sdk/src/a.ts': "import { spool } from './node/spool.js';",
      'packages/sdk/src/b.ts': "const name = 'node:fs';\nawait import(name);",
      'packages/sdk/src/node/spool.ts': "import x from 'undici';",
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('packages/sdk/src/a.ts: imports ./node/spool.js statically');
    expect(result.output).toContain('packages/sdk/src/b.ts: import() of a computed specifier');
    expect(result.output).toContain('packages/sdk/src/node/spool.ts: imports undici');
  });

  it('finds the server in the SDK’s HTTP path, the server’s full entry in its Node-only files, and a native module the embedded entry reaches', () => {
    const result = check({
      'packages/sdk/src/a.ts': "const load = () => import('declog/embedded');",
      'packages/sdk/src/node/b.ts': "const load = () => import('declog');",
      'packages/server/src/embedded.ts': "export { open } from './runtime/open.js';",
      'packages/server/src/runtime/open.ts': "import Database from 'better-sqlite3';",
    });
    expect(result.code).toBe(1);
    for (const line of [
      'packages/sdk/src/a.ts: imports declog/embedded',
      'packages/sdk/src/node/b.ts: imports declog:',
      'packages/server/src/runtime/open.ts: imports better-sqlite3, reached from packages/server/src/embedded.ts',
    ]) {
      expect(result.output).toContain(line);
    }
  });

  it('finds a node: module anywhere in the import graph of the core’s pure entry', () => {
    const result = check({
      'packages/core/src/contract/index.ts': "export { x } from './x.js';",
      'packages/core/src/contract/x.ts': "export { y } from '../y/y.js';",
      'packages/core/src/y/y.ts': "import { createHmac } from 'node:crypto';",
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'packages/core/src/y/y.ts: imports node:crypto, reached from packages/core/src/contract/index.ts',
    );
  });

  it('finds an SDK file outside src/node that touches the process', () => {
    const result = check({ 'packages/sdk/src/a.ts': "process.once('beforeExit', () => {});" });
    expect(result.code).toBe(1);
    expect(result.output).toContain('packages/sdk/src/a.ts: touches the process');
  });

  it('finds the server, node: modules, the core’s full entry or another package in the dashboard', () => {
    const result = check({
      'packages/web/src/ok.tsx': [
        "import { render } from 'preact';",
        "import { useState } from 'preact/hooks';",
        "import { canonicalJson } from '@declog/core/contract';",
        "const chart = () => import('uplot');",
      ].join('\n'),
      'packages/web/src/a.tsx': "import { serve } from 'declog';",
      'packages/web/src/b.ts': "const fs = await import('node:fs');",
      'packages/web/src/c.tsx': "import { leafHash } from '@declog/core';",
      'packages/web/src/d.ts': "export * from 'react';",
      'packages/web/node_modules/x/index.ts': "import 'node:fs';",
    });
    expect(result.code).toBe(1);
    for (const line of [
      'packages/web/src/a.tsx: imports declog',
      'packages/web/src/b.ts: imports node:fs',
      'packages/web/src/c.tsx: imports @declog/core:',
      'packages/web/src/d.ts: imports react',
    ]) {
      expect(result.output).toContain(line);
    }
    expect(result.output).not.toContain('ok.tsx');
    expect(result.output).not.toContain('node_modules');
  });
});
