import {
  canonicalJson,
  parseModelDeclaration,
  type GovernanceStore,
  type ModelDeclaration,
} from '@declog/core';
import { DeclogError } from '../../errors.js';

/** One revision of a model version's declaration, as kept: never changed once kept. */
export interface DeclaredRevision {
  readonly revision: number;
  readonly declared_at: string;
  readonly declared_by: string;
  readonly declaration: ModelDeclaration;
}

/** Every declared version of a tenant: model name → version → its revisions, oldest first. */
export type DeclaredModels = Readonly<
  Record<string, Readonly<Record<string, readonly DeclaredRevision[]>>>
>;

/** A model version's declaration in force (its latest revision) and every revision. */
export interface DeclaredVersion {
  readonly name: string;
  readonly version: string;
  readonly current: DeclaredRevision;
  readonly revisions: readonly DeclaredRevision[];
}

/** The tenant setting that holds a tenant's declarations (a JSON object, DeclaredModels). */
const SETTING = 'model_registry';
// 1-256 code points without a control character: stricter than the event contract's model
// name and version (1-256 UTF-16 units, control characters allowed).
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const NAME = /^[^\u0000-\u001f\u007f]{1,256}$/u;

export interface ModelRegistry {
  declared(tenant: string): Promise<DeclaredModels>;
  version(tenant: string, name: string, version: string): Promise<DeclaredVersion | null>;
  /**
   * Declares a version; a declaration with other content than the one in force makes a new
   * revision (the same content is not a new one). `created` says whether it did.
   */
  declare(
    tenant: string,
    name: string,
    version: string,
    body: unknown,
    by: string,
    at: string,
  ): Promise<{ readonly declared: DeclaredVersion; readonly created: boolean }>;
}

/**
 * The model inventory's declarations, kept in one tenant setting and changed by compare and
 * set, so that two admins declaring at once both get their revision kept.
 */
export function modelRegistry(governance: GovernanceStore): ModelRegistry {
  const read = async (tenant: string) => {
    const text = await governance.tenantSetting(tenant, SETTING);
    return { text, models: (text === null ? {} : JSON.parse(text)) as DeclaredModels };
  };
  const versionOf = (models: DeclaredModels, name: string, version: string) => {
    const revisions = models[name]?.[version];
    const current = revisions?.at(-1);
    return revisions && current ? { name, version, current, revisions } : null;
  };
  return {
    declared: async (tenant) => (await read(tenant)).models,
    version: async (tenant, name, version) => versionOf((await read(tenant)).models, name, version),
    async declare(tenant, name, version, body, by, at) {
      checkName(name, 'name');
      checkName(version, 'version');
      const parsed = parseModelDeclaration(body);
      if (!parsed.ok) {
        throw new DeclogError('invalid_body', 'invalid model declaration', [...parsed.issues]);
      }
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const { text, models } = await read(tenant);
        const existing = versionOf(models, name, version);
        if (
          existing &&
          canonicalJson(existing.current.declaration) === canonicalJson(parsed.declaration)
        ) {
          return { declared: existing, created: false };
        }
        const revision: DeclaredRevision = {
          revision: (existing?.revisions.length ?? 0) + 1,
          declared_at: at,
          declared_by: by,
          declaration: parsed.declaration,
        };
        const next: DeclaredModels = {
          ...models,
          [name]: { ...models[name], [version]: [...(existing?.revisions ?? []), revision] },
        };
        if (await governance.replaceTenantSetting(tenant, SETTING, text, JSON.stringify(next))) {
          return { declared: versionOf(next, name, version) as DeclaredVersion, created: true };
        }
      }
      throw new DeclogError('store_unavailable', 'the model registry kept changing; retry');
    },
  };
}

function checkName(value: string, path: 'name' | 'version'): void {
  if (!NAME.test(value)) {
    throw new DeclogError(
      'invalid_parameter',
      `the model ${path} must be 1-256 characters, none a control character`,
      [{ path, message: 'must be 1-256 characters, none a control character' }],
    );
  }
}
