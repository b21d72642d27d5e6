/** The part of `@opentelemetry/api` the SDK uses. */
export interface TraceApi {
  readonly trace: {
    getActiveSpan(): { spanContext(): { readonly traceId: string } } | undefined;
  };
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const INVALID = '0'.repeat(32);

/**
 * A function that returns the active span's W3C trace id (32 lowercase hex digits), or
 * undefined. `true` loads `@opentelemetry/api` in the background if it is installed (an
 * optional peer dependency): decisions made before it has loaded carry no trace id. Passing the
 * module itself makes it work from the first call.
 */
export function activeTraceId(setting: boolean | TraceApi): () => string | undefined {
  if (setting === false) return () => undefined;
  let api: TraceApi | undefined = setting === true ? undefined : setting;
  if (setting === true) {
    import('@opentelemetry/api').then(
      (module) => {
        api = module as unknown as TraceApi;
      },
      () => undefined, // not installed: no trace ids, and no complaint
    );
  }
  return () => {
    if (api === undefined) return undefined;
    try {
      const id = api.trace.getActiveSpan()?.spanContext().traceId;
      return id !== undefined && TRACE_ID.test(id) && id !== INVALID ? id : undefined;
    } catch {
      return undefined; // a broken tracer never breaks the producer
    }
  };
}
