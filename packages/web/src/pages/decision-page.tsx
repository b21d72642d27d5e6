import { Link } from 'wouter-preact';
import { modelCatalogue } from '../api/model-catalogue';
import type { DecisionChain } from '../api/stored-events';
import { useApp } from '../app-context';
import { ChainTimeline, type ReasonCatalogue } from '../components/chain-timeline';
import { ErrorNotice, Loading } from '../components/status-notice';
import { VerifiedBadge } from '../components/verified-badge';
import { useAsync } from '../use-async';

export interface LoadedChain {
  readonly chain: DecisionChain;
  readonly catalogue: ReasonCatalogue | null;
}

/** A decision's chain and the model version's reason catalogue, read together. */
export async function loadChain(
  api: ReturnType<typeof useApp>['api'],
  id: string,
): Promise<LoadedChain> {
  const chain = await api.json<DecisionChain>(`/v1/decisions/${encodeURIComponent(id)}`);
  const { name, version } = chain.decision.model;
  return { chain, catalogue: await modelCatalogue(api, name, version) };
}

/** One decision: its whole chain on a timeline, and whether this browser could verify it. */
export function DecisionPage({ id }: { readonly id: string }) {
  const { api } = useApp();
  const [loaded] = useAsync(() => loadChain(api, id), id);
  return (
    <main id="main" class="page">
      <p class="breadcrumb">
        <Link href="/decisions">Decisions</Link> /
      </p>
      <h1>
        Decision <code>{id}</code>
      </h1>
      {loaded.status === 'loading' ? (
        <Loading what="the decision" />
      ) : loaded.status === 'error' ? (
        <ErrorNotice error={loaded.error} what="The decision could not be read" />
      ) : (
        <>
          <VerifiedBadge id={id} />
          <ChainTimeline chain={loaded.value.chain} catalogue={loaded.value.catalogue} />
        </>
      )}
    </main>
  );
}
