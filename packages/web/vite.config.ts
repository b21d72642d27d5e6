import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard is built into the declog package (packages/server/dist/web), which serves it at
 * `/`: hashed files under /assets/ (cached for good), index.html (revalidated each time).
 * No plugin: esbuild compiles the TSX for Preact, and nothing is inlined into index.html, so
 * the server's Content-Security-Policy needs no 'unsafe-inline'.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../server/dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // zod (reached through @declog/core/contract, then shaken out) carries comments Rollup
      // cannot place; they say nothing about this build.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
        warn(warning);
      },
    },
  },
});
