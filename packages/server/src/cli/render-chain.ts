import { jsonText, type PostedBy, type StoredEvent } from '@declog/core';

interface Chain {
  decision: StoredEvent & { type: 'decision' };
  actions: (StoredEvent & { type: 'action' })[];
  outcomes: (StoredEvent & { type: 'outcome' })[];
  annotations: (StoredEvent & { type: 'annotation'; posted_by?: PostedBy })[];
}

/** A decision's chain as text for a person: the decision, then every later event in time order. */
export function renderChain(chainJson: string): string {
  const chain = JSON.parse(chainJson) as Chain;
  const d = chain.decision;
  const prediction = Object.entries(d.prediction)
    .map(([key, value]) => `${key}=${jsonText(value)}`)
    .join(' ');
  const lines = [
    `decision ${d.id}  (seq ${d.seq})`,
    `  occurred   ${d.occurred_at}`,
    `  model      ${d.model.name}@${d.model.version}`,
    `  prediction ${prediction}${d.confidence !== undefined ? `  confidence ${d.confidence}` : ''}`,
    `  rationale  ${d.rationale.summary}`,
    ...(d.rationale.reasons ?? []).map(
      (r) =>
        `             - ${r.code}${r.weight !== undefined ? ` (${r.weight})` : ''}${r.detail ? `: ${r.detail}` : ''}`,
    ),
    ...(d.subject ? [`  subject    ${d.subject.id}`] : []),
    ...(d.input?.ref ? [`  input      ${d.input.ref}`] : []),
  ];
  const timeline = [...chain.actions, ...chain.outcomes, ...chain.annotations].sort(
    (a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at) || a.seq - b.seq,
  );
  if (timeline.length === 0) lines.push('', 'no actions, outcomes or annotations yet');
  else lines.push('');
  for (const event of timeline) lines.push(`${event.occurred_at}  ${describe(event)}`);
  return `${lines.join('\n')}\n`;
}

function describe(
  event: Chain['actions'][number] | Chain['outcomes'][number] | Chain['annotations'][number],
): string {
  switch (event.type) {
    case 'action':
      return `action ${event.id}: ${event.action.kind} "${event.action.name}" by ${event.action.actor.type} ${event.action.actor.id}`;
    case 'outcome':
      return `outcome ${event.id}: ${event.outcome.status}${event.outcome.label !== undefined ? ` label=${JSON.stringify(event.outcome.label)}` : ''}${event.outcome.value !== undefined ? ` value=${event.outcome.value}` : ''}`;
    case 'annotation': {
      const relayed = event.posted_by?.relayed ? ` (relayed by key ${event.posted_by.key_id})` : '';
      return `note ${event.id}${event.annotation.author ? ` by ${event.annotation.author}${relayed}` : ''}: ${event.annotation.text}`;
    }
  }
}
