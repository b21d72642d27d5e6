import type { ErrorCode } from '../errors.js';

/** The one place where domain error codes become HTTP statuses. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_event: 400,
  invalid_query: 400,
  invalid_parameter: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  too_many_events: 413,
  event_too_large: 413,
  id_conflict: 409,
  not_found: 404,
  route_not_found: 404,
  store_unavailable: 503,
  checkpoint_pending: 503,
  internal_error: 500,
  unauthorized: 401,
  forbidden: 403,
  tenant_not_found: 404,
  key_not_found: 404,
  rate_limited: 429,
  legal_hold: 409,
  hold_not_found: 404,
  pruned: 410,
  store_inconsistent: 409,
};
