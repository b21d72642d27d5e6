import { Link, useLocation } from 'wouter-preact';
import { ApiError } from '../api/api-client';
import { useApp } from '../app-context';
import { ErrorNotice, Loading } from '../components/status-notice';
import { formatNumber, formatTime } from '../format';
import { readInventory, type InventoryVersion } from '../api/model-inventory';
import { useAsync } from '../use-async';

/** The model inventory: every model and version, with what the server knows of each. */
export function ModelsPage() {
  const { api } = useApp();
  const [inventory] = useAsync(() => readInventory(api), 'models');
  return (
    <main id="main" class="page">
      <h1>Models</h1>
      {inventory.status === 'loading' ? (
        <Loading what="the model inventory" />
      ) : inventory.status === 'error' ? (
        inventory.error instanceof ApiError && inventory.error.unavailable ? (
          <NoInventory />
        ) : (
          <ErrorNotice error={inventory.error} what="The model inventory" />
        )
      ) : (
        <InventoryTable
          versions={inventory.value.models.flatMap((model) => model.versions)}
          undeclared={inventory.value.undeclared}
        />
      )}
    </main>
  );
}

/** A server without the model inventory: a model can still be opened by its name. */
function NoInventory() {
  const [, navigate] = useLocation();
  return (
    <>
      <p class="notice" role="status" data-inventory="unavailable">
        This server keeps no model inventory yet. Open a model by its name to see its decisions (and
        its analyses, where the server computes them).
      </p>
      <form
        class="filters inline"
        aria-label="Open a model"
        onSubmit={(event) => {
          event.preventDefault();
          const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
          if (name !== '') navigate(`/models/${encodeURIComponent(name)}`);
        }}
      >
        <div class="field">
          <label for="model-name">Model name</label>
          <input id="model-name" name="name" required />
        </div>
        <button type="submit">Open</button>
      </form>
    </>
  );
}

function InventoryTable({
  versions,
  undeclared,
}: {
  readonly versions: readonly InventoryVersion[];
  readonly undeclared: number;
}) {
  if (versions.length === 0)
    return <p class="notice">No model has made a decision or been declared yet.</p>;
  return (
    <>
      {undeclared > 0 && (
        <p class="notice" data-undeclared={undeclared}>
          {undeclared === 1 ? '1 version decided' : `${undeclared} versions decided`} without a
          declaration (owner, purpose, reason catalogue): an admin declares a version with{' '}
          <code>declog models declare</code>.
        </p>
      )}
      <div class="table-wrap">
        <table class="inventory">
          <caption>
            {versions.length} model {versions.length === 1 ? 'version' : 'versions'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Version</th>
              <th scope="col">Declared</th>
              <th scope="col">Owner</th>
              <th scope="col">Purpose</th>
              <th scope="col">Environment</th>
              <th scope="col">First decision</th>
              <th scope="col">Last decision</th>
              <th scope="col">Decisions</th>
              <th scope="col">Actions</th>
              <th scope="col">Outcomes</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={`${v.name}\u0000${v.version}`}>
                <td>
                  <Link href={`/models/${encodeURIComponent(v.name)}`}>{v.name}</Link>
                </td>
                <td>{v.version}</td>
                <td>{v.declared ? `yes (revision ${v.revision ?? ''})` : 'no'}</td>
                <td>{v.declaration?.owner ?? ''}</td>
                <td>{v.declaration?.purpose ?? ''}</td>
                <td>{v.declaration?.environment ?? ''}</td>
                <td>{formatTime(v.first_decision_at)}</td>
                <td>{formatTime(v.last_decision_at)}</td>
                <td class="num">{formatNumber(v.decisions)}</td>
                <td class="num">{formatNumber(v.actions)}</td>
                <td class="num">{formatNumber(v.outcomes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
