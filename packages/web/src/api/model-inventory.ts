import type { Api } from './api-client';

/** A model version's declaration (`PUT /v1/models/{name}/versions/{version}`), as served. */
export interface ModelDeclaration {
  readonly owner: string;
  readonly purpose: string;
  readonly environment?: string;
  readonly expected_outcome_delay?: string;
  readonly positive_label?: string | number | boolean;
  readonly provenance?: Readonly<Record<string, string>>;
  readonly reasons?: Readonly<Record<string, { readonly text: string; readonly adverse: boolean }>>;
}

/** One version of the model inventory (`GET /v1/models`): declared or not, and its use. */
export interface InventoryVersion {
  readonly name: string;
  readonly version: string;
  readonly declared: boolean;
  readonly revision: number | null;
  readonly first_decision_at: string | null;
  readonly last_decision_at: string | null;
  readonly decisions: number;
  readonly actions: number;
  readonly outcomes: number;
  readonly declaration: ModelDeclaration | null;
}

/** `GET /v1/models`: every model that decided or was declared, with its versions. */
export interface ModelInventory {
  readonly models: readonly {
    readonly name: string;
    readonly versions: readonly InventoryVersion[];
  }[];
  readonly undeclared: number;
}

export const readInventory = (api: Api): Promise<ModelInventory> =>
  api.json<ModelInventory>('/v1/models');
