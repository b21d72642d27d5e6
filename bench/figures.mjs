/** Product targets, from the spec; a figure with no target is reported for context only. */
export const TARGETS = {
  ingestEventsPerSecond: 30_000,
  /** Decisions sealed under subject keys (the generated ones), beside bare SQLite. */
  ingestRatio: 0.3,
  /** Decisions that name no subject (nothing sealed), beside bare SQLite. */
  unsealedIngestRatio: 0.45,
  getP99Ms: 2,
  queryP99Ms: 20,
  bytesPerDecision: 1500,
  proofP99Ms: 2,
  /** `declog verify --db` of 1,000,000 entries, scaled linearly for smaller runs. */
  verifySecondsPerMillion: 15,
  /** The producer SDK: log.decision() p99 on the caller's thread, and event-loop stalls. */
  sdkCallP99Us: 20,
  sdkStallMs: 5,
};

const figure = (name, unit, value, baseline, target) => {
  const ratio = baseline ? value / baseline.value : null;
  const pass = target ? (target.op === '>=' ? value >= target.value : value <= target.value) : null;
  return { name, unit, value, baseline, ratio, target, pass };
};
const atLeast = (value) => ({ op: '>=', value });
const atMost = (value) => ({ op: '<=', value });

/** The report's rows: each measured figure beside its same-run baseline and its target. */
export function figures({ ingest, read, query, proof, storage, verify }) {
  const bare = (name, value) => ({ name, value });
  return [
    figure(
      'ingest, POST /v1/events',
      'events/s',
      ingest.httpEventsPerSecond,
      bare('bare SQLite', ingest.bareEventsPerSecond),
      atLeast(TARGETS.ingestEventsPerSecond),
    ),
    figure(
      'ingest, HTTP / bare',
      'ratio',
      ingest.httpEventsPerSecond / ingest.bareEventsPerSecond,
      null,
      atLeast(TARGETS.ingestRatio),
    ),
    ...(ingest.serverCpuPerEvent === null
      ? []
      : [
          figure(
            'ingest, server CPU per event',
            'µs',
            ingest.serverCpuPerEvent * 1e6,
            bare('bare SQLite', ingest.bareCpuPerEvent * 1e6),
            null,
          ),
          ...Object.entries(ingest.serverCpuPerEventByThread ?? {}).map(([thread, seconds]) =>
            figure(
              `ingest, server CPU per event: ${thread} thread${thread === 'other' ? 's' : ''}`,
              'µs',
              seconds * 1e6,
              bare('bare SQLite', ingest.bareCpuPerEvent * 1e6),
              null,
            ),
          ),
        ]),
    figure(
      'GET /v1/decisions/{id} p50',
      'ms',
      read.http.p50,
      bare('GET /healthz', read.healthz.p50),
      null,
    ),
    figure(
      'GET /v1/decisions/{id} p99',
      'ms',
      read.http.p99,
      bare('GET /healthz', read.healthz.p99),
      atMost(TARGETS.getP99Ms),
    ),
    figure(
      'GET /v1/decisions/{id} p50',
      'ms',
      read.http.p50,
      bare('SQL by id', read.sql.p50),
      null,
    ),
    figure(
      'GET /v1/decisions/{id} p99',
      'ms',
      read.http.p99,
      bare('SQL by id', read.sql.p99),
      null,
    ),
    figure('filtered query p50', 'ms', query.http.p50, bare('SQL page', query.sql.p50), null),
    figure(
      'filtered query p99',
      'ms',
      query.http.p99,
      bare('SQL page', query.sql.p99),
      atMost(TARGETS.queryP99Ms),
    ),
    figure(
      'inclusion proof p99, HTTP',
      'ms',
      proof.http.p99,
      bare('GET /healthz', proof.healthz.p99),
      atMost(TARGETS.proofP99Ms),
    ),
    figure(
      'consistency proof p99, HTTP',
      'ms',
      proof.consistency.p99,
      bare('GET /healthz', proof.healthz.p99),
    ),
    figure(
      `declog verify --db, ${verify.entries.toLocaleString('en-US')} entries`,
      's',
      verify.verifySeconds,
      bare('read + SHA-256 each', verify.floorSeconds),
      atMost((TARGETS.verifySecondsPerMillion * verify.entries) / 1_000_000),
    ),
    figure(
      'stored bytes per decision',
      'B',
      storage.declogBytes / storage.decisions,
      bare('bare SQLite', storage.bareBytes / storage.decisions),
      atMost(TARGETS.bytesPerDecision),
    ),
  ];
}

/**
 * The PostgreSQL rows, beside raw COPY of the same rows into one table (ingest, bytes) and the
 * same lookups on that table (latency). The spec sets no PostgreSQL targets: context only.
 */
export function postgresFigures({ ingest, read, query, shared, storage }) {
  const bare = (name, value) => ({ name, value });
  return [
    figure(
      'ingest, 1 server',
      'events/s',
      ingest.httpEventsPerSecond,
      bare('raw COPY', ingest.bareEventsPerSecond),
      null,
    ),
    figure(
      `ingest, ${shared.servers} servers on one log`,
      'events/s',
      shared.httpEventsPerSecond,
      bare('raw COPY', ingest.bareEventsPerSecond),
      null,
    ),
    figure(
      'GET /v1/decisions/{id} p50',
      'ms',
      read.http.p50,
      bare('GET /healthz', read.healthz.p50),
      null,
    ),
    figure(
      'GET /v1/decisions/{id} p99',
      'ms',
      read.http.p99,
      bare('GET /healthz', read.healthz.p99),
      null,
    ),
    figure(
      'GET /v1/decisions/{id} p99',
      'ms',
      read.http.p99,
      bare('SQL by id', read.sql.p99),
      null,
    ),
    figure('filtered query p50', 'ms', query.http.p50, bare('SQL page', query.sql.p50), null),
    figure('filtered query p99', 'ms', query.http.p99, bare('SQL page', query.sql.p99), null),
    figure(
      'stored bytes per decision',
      'B',
      storage.declogBytes / storage.decisions,
      bare('bare table', storage.bareBytes / storage.decisions),
      null,
    ),
  ];
}

/** Rows of the privacy ingest comparison: each variant beside bare SQLite inserts. */
export function privacyFigures({ variants, retention }) {
  const rows = variants.flatMap((result) => [
    figure(`ingest, ${result.name}`, 'events/s', result.eventsPerSecond, {
      name: 'bare SQLite',
      value: result.bareEventsPerSecond,
    }),
    figure(
      `ingest, ${result.name}: HTTP / bare`,
      'ratio',
      result.eventsPerSecond / result.bareEventsPerSecond,
      null,
      result.name.startsWith('no subject') ? atLeast(TARGETS.unsealedIngestRatio) : null,
    ),
  ]);
  if (retention) {
    // Seconds for all `count` decisions, beside a bare DELETE of as many rows.
    const bareDelete = { name: 'bare DELETE', value: retention.bareDeleteSeconds };
    const all = `all ${retention.count.toLocaleString('en-US')}`;
    rows.push(
      figure(
        `retention dry run over ${all} (GET /v1/retention/plan)`,
        's',
        retention.planSeconds,
        bareDelete,
      ),
      figure(
        `retention, shred the personal data of ${all}`,
        's',
        retention.shredSeconds,
        bareDelete,
      ),
      figure(`retention, prune ${all} decisions`, 's', retention.pruneSeconds, bareDelete),
    );
  }
  return rows;
}

/** The producer SDK's rows (bench/sdk-phase.mjs). */
export function sdkFigures({ cost, e2e }) {
  const bare = (name, value) => ({ name, value });
  const baseline = 'build + JSON.stringify';
  return [
    figure('log.decision() p50', 'µs', cost.sdk.p50, bare(baseline, cost.baseline.p50), null),
    figure(
      'log.decision() p99',
      'µs',
      cost.sdk.p99,
      bare(baseline, cost.baseline.p99),
      atMost(TARGETS.sdkCallP99Us),
    ),
    figure(
      'event-loop stall while the SDK sends',
      'ms',
      e2e.flushStallMaxMs,
      bare('raw fetch of the same batches', e2e.rawStallMaxMs),
      atMost(TARGETS.sdkStallMs),
    ),
    figure('event-loop stall, idle process', 'ms', e2e.idleStallMaxMs, null, null),
    figure(
      'SDK to server, end to end',
      'events/s',
      e2e.sdkEventsPerSecond,
      bare('raw HTTP, same batches', e2e.rawEventsPerSecond),
      null,
    ),
  ];
}
