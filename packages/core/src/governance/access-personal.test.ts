import { describe, expect, it } from 'vitest';
import type { AccessEntry } from './access-entry.js';
import { splitAccessPersonal, verifyAccessPersonal } from './access-personal.js';

const entry: AccessEntry = {
  occurred_at: '2026-01-01T00:00:00.000Z',
  actor: { key_id: 'k1', name: 'rita', role: 'reviewer' },
  action: 'decisions.query',
  method: 'GET',
  route: '/v1/decisions',
  filters: { q: 'jane doe', 'label.a/b~c': 'x', limit: '5', model: 'credit' },
  records: 2,
  status: 200,
  purpose: 'complaint #42 by Jane Doe',
};
const salt = new Uint8Array(32).fill(7);

describe('splitAccessPersonal', () => {
  it('takes the purpose and personal filter values out, keeping plain filters and a commitment', () => {
    const { entry: leaf, details } = splitAccessPersonal(entry, salt);
    expect(leaf.filters).toEqual({ limit: '5', model: 'credit' });
    expect(leaf.purpose).toBeUndefined();
    expect(leaf.personal?.fields).toEqual(['/filters/label.a~1b~0c', '/filters/q', '/purpose']);
    expect(JSON.stringify(leaf)).not.toMatch(/jane|Jane|complaint/);
    expect(details?.values).toEqual({
      '/filters/q': 'jane doe',
      '/filters/label.a~1b~0c': 'x',
      '/purpose': 'complaint #42 by Jane Doe',
    });
    if (!leaf.personal || !details) throw new Error('nothing was split');
    expect(verifyAccessPersonal(leaf.personal, details)).toBe(true);
  });

  it('commits to the values: changed ones, or another salt, do not verify', () => {
    const { entry: leaf, details } = splitAccessPersonal(entry, salt);
    if (!leaf.personal || !details) throw new Error('nothing was split');
    const changed = { ...details, values: { ...details.values, '/filters/q': 'john roe' } };
    expect(verifyAccessPersonal(leaf.personal, changed)).toBe(false);
    const resalted = { ...details, salt: Buffer.alloc(32, 8).toString('base64') };
    expect(verifyAccessPersonal(leaf.personal, resalted)).toBe(false);
    const fewer = { ...details, values: { '/purpose': entry.purpose ?? '' } };
    expect(verifyAccessPersonal(leaf.personal, fewer)).toBe(false);
  });

  it('leaves an entry without personal details as it was, without `personal`', () => {
    const plain: AccessEntry = { ...entry, filters: { limit: '5' } };
    const { purpose: _purpose, ...withoutPurpose } = plain;
    const split = splitAccessPersonal(withoutPurpose, salt);
    expect(split).toEqual({ entry: withoutPurpose, details: null });
  });
});
