import { renderTable } from './render-table.js';

type Json = Record<string, unknown>;

const num = (value: unknown): string =>
  typeof value === 'number'
    ? Number.isInteger(value)
      ? String(value)
      : value.toPrecision(4)
    : '-';
const text = (value: unknown): string =>
  value === null || value === undefined
    ? '-'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** An analysis as a terminal shows it: its findings, then its figures as a table. */
export function renderAnalysis(name: string, answer: unknown): string {
  const a = answer as Json;
  const findings = (a['findings'] as string[] | undefined) ?? [];
  const head =
    findings.length === 0
      ? 'Findings: none.\n'
      : `Findings:\n${findings.map((f) => `  - ${f}`).join('\n')}\n`;
  return `${head}\n${table(name, a)}`;
}

function table(name: string, a: Json): string {
  const rows = <T>(key: string) => (a[key] as T[] | undefined) ?? [];
  switch (name) {
    case 'quality':
      return renderTable(
        ['check', 'count', 'examples'],
        rows<Json>('checks').map((c) => [
          text(c['check']),
          num(c['count']),
          ((c['examples'] as string[]) ?? []).slice(0, 3).join(', ') || '-',
        ]),
      );
    case 'drift':
      return renderTable(
        ['field', 'method', 'value', 'p-value', 'threshold', 'drift'],
        rows<Json>('items').map((i) => [
          text(i['field']),
          `${text(i['method'])}${i['decisive'] ? '*' : ''}`,
          num(i['value']),
          num(i['pvalue']),
          num(i['threshold']),
          i['drift'] ? 'yes' : 'no',
        ]),
      );
    case 'performance':
      return renderTable(
        [
          'version',
          'decisions',
          'outcomes',
          'awaiting',
          'accuracy',
          'roc auc',
          'brier',
          'delay p50 s',
        ],
        rows<Json>('versions').map((v) => {
          const m = (v['metrics'] as Json | null) ?? {};
          return [
            text(v['version']),
            num(v['decisions']),
            num(v['with_outcome']),
            num(v['awaiting_outcome']),
            num(m['accuracy']),
            num(m['rocAuc']),
            num(m['brier']),
            num((v['outcome_delay_seconds'] as Json)['p50']),
          ];
        }),
      );
    case 'fairness': {
      const metrics = (a['metrics'] as Json | null) ?? {};
      const sizes = (metrics['groupSizes'] as Json | undefined) ?? {};
      const rates = ((metrics['selectionRate'] as Json | undefined)?.['byGroup'] as Json) ?? {};
      const impact = (a['impact_ratio'] as Json | undefined) ?? {};
      const verdicts = (a['verdicts'] as Json | undefined) ?? {};
      return renderTable(
        ['group', 'decisions', 'selection rate', 'impact ratio', 'verdict'],
        Object.keys(verdicts).map((g) => [
          g,
          num(sizes[g]),
          num(rates[g]),
          num(impact[g]),
          text(verdicts[g]),
        ]),
      );
    }
    case 'anomalies':
      return renderTable(
        ['bucket', 'value', 'lower', 'upper', 'p-value', 'anomaly'],
        rows<Json>('points').map((p) => [
          text(p['bucket']),
          num(p['value']),
          num(p['lower']),
          num(p['upper']),
          num(p['pvalue']),
          p['anomaly'] ? 'yes' : 'no',
        ]),
      );
    default:
      return `${JSON.stringify(a, null, 2)}\n`;
  }
}

/** The model inventory as a table. */
export function renderModels(inventory: unknown): string {
  const models = ((inventory as Json)['models'] as { versions: Json[] }[]) ?? [];
  return renderTable(
    [
      'model',
      'version',
      'declared',
      'decisions',
      'actions',
      'outcomes',
      'first decision',
      'last decision',
    ],
    models.flatMap((m) =>
      m.versions.map((v) => [
        text(v['name']),
        text(v['version']),
        v['declared'] ? `revision ${num(v['revision'])}` : 'no',
        num(v['decisions']),
        num(v['actions']),
        num(v['outcomes']),
        text(v['first_decision_at']),
        text(v['last_decision_at']),
      ]),
    ),
  );
}
