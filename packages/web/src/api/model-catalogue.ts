import type { Api } from './api-client';
import { ApiError } from './api-client';
import type { ReasonCatalogue } from '../components/chain-timeline';

/**
 * The reason-code catalogue a model version declared in the model inventory
 * (`GET /v1/models/{name}/versions/{version}`); null when the version is undeclared or the
 * server has no model inventory.
 */
export async function modelCatalogue(
  api: Api,
  name: string,
  version: string,
): Promise<ReasonCatalogue | null> {
  try {
    const declared = await api.json<{
      current: { declaration: { reasons?: ReasonCatalogue } } | null;
    }>(`/v1/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`);
    return declared.current?.declaration.reasons ?? null;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}
