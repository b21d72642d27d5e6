import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

/** One file of the dashboard, held in memory with its compressed forms. */
export interface DashboardAsset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly brotli: Buffer | null;
  readonly etag: string;
  /** Hashed files (under assets/) never change under their name: cached for good. */
  readonly immutable: boolean;
}

/** The built dashboard, by URL path (`/index.html`, `/assets/index-3f9a1c0b.js`). */
export type DashboardAssets = ReadonlyMap<string, DashboardAsset>;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Compressing these pays; images are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/**
 * Reads the built dashboard (vite's output) into memory once, at start: a few hundred KB,
 * compressed here once rather than on every request. Null when the folder holds no
 * index.html (a declog built without its dashboard).
 */
export function loadDashboardAssets(dir: string): DashboardAssets | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const assets = new Map<string, DashboardAsset>();
  for (const file of filesUnder(dir)) {
    const path = `/${relative(dir, file).split(sep).join('/')}`;
    const extension = /\.[a-z0-9]+$/.exec(path)?.[0] ?? '';
    const type = TYPES[extension];
    if (type === undefined) continue;
    const body = readFileSync(file);
    const compress = COMPRESSIBLE.has(extension) && body.length > 256;
    assets.set(path, {
      type,
      body,
      gzip: compress ? gzipSync(body, { level: 9 }) : null,
      brotli: compress
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
        : null,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: path.startsWith('/assets/'),
    });
  }
  return assets;
}

function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}
