import { useState } from 'preact/hooks';
import type { Api } from '../api/api-client';
import { formatNumber } from '../format';
import { useAsync } from '../use-async';
import { ErrorNotice, Loading } from './status-notice';

interface FairnessAnswer {
  readonly decisions?: number;
  readonly without_cohort?: number;
  readonly metrics: {
    readonly groups: readonly string[];
    readonly groupSizes: Readonly<Record<string, number>>;
    readonly selectionRate: { readonly byGroup: Readonly<Record<string, number>> };
  } | null;
  readonly impact_ratio?: Readonly<Record<string, number | null>>;
  readonly verdicts: Readonly<Record<string, 'ok' | 'disparity' | 'too_small'>>;
  readonly findings: readonly string[];
}

interface Asked {
  readonly cohort: string;
  readonly selected: string;
}

/**
 * Fairness by cohort (`GET /v1/analyses/fairness`): the groups of one cohort attribute the
 * reader names, compared by the four-fifths rule.
 */
export function FairnessCheck({ api, model }: { readonly api: Api; readonly model: string }) {
  const [asked, setAsked] = useState<Asked | null>(null);
  return (
    <section aria-labelledby="fairness-heading">
      <h2 id="fairness-heading">Fairness by cohort</h2>
      <form
        class="filters inline"
        aria-label="Compare the groups of a cohort attribute"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const cohort = String(form.get('cohort') ?? '').trim();
          if (cohort !== '')
            setAsked({ cohort, selected: String(form.get('selected') ?? '').trim() });
        }}
      >
        <div class="field">
          <label for="fairness-cohort">Cohort attribute</label>
          <input id="fairness-cohort" name="cohort" required />
        </div>
        <div class="field">
          <label for="fairness-selected">Selected (action kinds or labels, optional)</label>
          <input id="fairness-selected" name="selected" />
        </div>
        <button type="submit">Compare groups</button>
      </form>
      {asked && <FairnessResult api={api} model={model} asked={asked} />}
    </section>
  );
}

function FairnessResult({
  api,
  model,
  asked,
}: {
  readonly api: Api;
  readonly model: string;
  readonly asked: Asked;
}) {
  const [answer] = useAsync(
    () =>
      api.json<FairnessAnswer>('/v1/analyses/fairness', {
        model,
        cohort: asked.cohort,
        selected: asked.selected,
      }),
    `${model} ${asked.cohort} ${asked.selected}`,
  );
  if (answer.status === 'loading') return <Loading what="the fairness analysis" />;
  if (answer.status === 'error')
    return <ErrorNotice error={answer.error} what="The fairness analysis could not be read" />;
  const { metrics, verdicts, findings } = answer.value;
  return (
    <>
      {findings.length > 0 && (
        <ul class="findings">
          {findings.map((finding) => (
            <li key={finding}>{finding}</li>
          ))}
        </ul>
      )}
      {metrics && (
        <div class="table-wrap">
          <table class="fairness">
            <caption>The groups of {asked.cohort}</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Decisions</th>
                <th scope="col">Selection rate</th>
                <th scope="col">Impact ratio</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {metrics.groups.map((group) => (
                <tr key={group} class={verdicts[group] === 'disparity' ? 'flagged' : undefined}>
                  <td>{group}</td>
                  <td class="num">{formatNumber(metrics.groupSizes[group])}</td>
                  <td class="num">{formatNumber(metrics.selectionRate.byGroup[group])}</td>
                  <td class="num">{formatNumber(answer.value.impact_ratio?.[group])}</td>
                  <td>{(verdicts[group] ?? '').replace('_', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
