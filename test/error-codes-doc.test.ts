import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_STATUS } from 'declog';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every error code the server can return, and no other', () => {
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` +\|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives each code the HTTP status the server sends', () => {
    const rows = [...doc.matchAll(/^\| `([a-z_]+)` +\| (\d{3}) +\|/gm)];
    expect(rows.length).toBe(ERROR_CODES.length);
    for (const [, code, status] of rows) {
      expect({ code, status: Number(status) }).toEqual({
        code,
        status: ERROR_STATUS[code as keyof typeof ERROR_STATUS],
      });
    }
  });
});
