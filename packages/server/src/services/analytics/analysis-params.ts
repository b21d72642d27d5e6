import type { AnalyticsScope } from '@declog/core';
import { DeclogError } from '../../errors.js';

/** An analysis's query parameters, as the route read them (each at most once). */
export type AnalysisParams = Readonly<Partial<Record<string, string>>>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** The parameters every analysis takes. */
export const WINDOW_PARAMS = ['model', 'version', 'from', 'to'] as const;

export function badParam(path: string, message: string): DeclogError {
  return new DeclogError('invalid_query', `${path} ${message}`, [{ path, message }]);
}

/** An RFC 3339 time as ms, or undefined when absent. */
export function timeParam(params: AnalysisParams, name: string): number | undefined {
  const text = params[name];
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (!RFC3339.test(text) || Number.isNaN(ms)) {
    throw badParam(name, 'must be an RFC 3339 timestamp, such as 2026-11-01T00:00:00Z');
  }
  return ms;
}

/** A number in [min, max], or `fallback` when absent. */
export function numberParam(
  params: AnalysisParams,
  name: string,
  fallback: number,
  range: { readonly min: number; readonly max: number; readonly integer?: boolean },
): number {
  const text = params[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < range.min ||
    value > range.max ||
    (range.integer === true && !Number.isInteger(value))
  ) {
    const kind = range.integer === true ? 'an integer' : 'a number';
    throw badParam(name, `must be ${kind} from ${range.min} to ${range.max}`);
  }
  return value;
}

/** A comma list of non-empty values (at most 100), or undefined when absent. */
export function listParam(params: AnalysisParams, name: string): string[] | undefined {
  const text = params[name];
  if (text === undefined) return undefined;
  const values = text.split(',');
  if (values.some((v) => v === '') || values.length > 100) {
    throw badParam(name, 'must be a comma-separated list of 1 to 100 non-empty values');
  }
  return values;
}

/** The model, required unless `optional`. */
export function modelParam(params: AnalysisParams, optional = false): string | undefined {
  const model = params['model'];
  if (model === undefined && !optional) throw badParam('model', 'is required');
  if (model !== undefined && (model === '' || model.length > 256)) {
    throw badParam('model', 'must be 1-256 characters');
  }
  return model;
}

/**
 * The current window: model (required unless `modelOptional`), versions (`version`, a comma
 * list), `from` and `to`; `from` must come before `to`.
 */
export function currentScope(params: AnalysisParams, modelOptional = false): AnalyticsScope {
  const model = modelParam(params, modelOptional);
  const versions = listParam(params, 'version');
  const fromMs = timeParam(params, 'from');
  const toMs = timeParam(params, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw badParam('to', 'must be after from');
  }
  return {
    ...(model === undefined ? {} : { model }),
    ...(versions === undefined ? {} : { versions }),
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs }),
  };
}

/** A window as the answer names it. */
export function windowJson(scope: AnalyticsScope): {
  readonly from: string | null;
  readonly to: string | null;
} {
  return {
    from: scope.fromMs === undefined ? null : new Date(scope.fromMs).toISOString(),
    to: scope.toMs === undefined ? null : new Date(scope.toMs).toISOString(),
  };
}

/** A share as a percentage for findings: `12.5%`. */
export const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** A figure rounded for findings (the figures themselves are in the answer unrounded). */
export const figure = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
