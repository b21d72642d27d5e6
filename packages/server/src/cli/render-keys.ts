import { ALL_TENANTS } from '@declog/core';
import type { KeyView } from '../services/governance/manage-keys.js';
import { renderTable } from './render-table.js';

const COLUMNS = ['id', 'name', 'role', 'tenant', 'created_at', 'revoked_at'] as const;

/** Keys as an aligned table, revoked ones marked by their revocation time. */
export function renderKeyTable(keys: readonly KeyView[]): string {
  if (keys.length === 0) return 'no keys\n';
  return renderTable(
    COLUMNS,
    keys.map((key) => COLUMNS.map((column) => key[column])),
  );
}

/** A new key: what it is, then its secret alone on a line, then that it is shown only now. */
export function renderCreatedKey(created: KeyView & { readonly key: string }): string {
  return (
    `created ${describeKey(created)}\n` +
    `${created.key}\n` +
    '  this key is shown only now (declog keeps only its hash): store it safely\n'
  );
}

/** A revoked key and since when. */
export function renderRevokedKey(revoked: KeyView): string {
  return `revoked ${describeKey(revoked)} at ${revoked.revoked_at ?? '?'}\n`;
}

function describeKey(key: KeyView): string {
  const tenant = key.tenant === ALL_TENANTS ? 'all tenants' : `tenant ${key.tenant}`;
  return `${key.role} key ${key.id} "${key.name}" for ${tenant}`;
}
