import { Link, useLocation } from 'wouter-preact';
import { ApiError } from '../api/api-client';
import { useApp } from '../app-context';
import { ErrorNotice, Loading } from '../components/status-notice';
import { formatNumber, formatTime } from '../format';
import { useAsync } from '../use-async';

/** One row of the model inventory (`GET /v1/models`): a model version, declared or not. */
export type InventoryEntry = Readonly<Record<string, unknown>>;

/** The entries of the inventory, whichever list member the server names them by. */
export function inventoryEntries(answer: unknown): InventoryEntry[] {
  if (Array.isArray(answer)) return answer as InventoryEntry[];
  const object = (answer ?? {}) as Record<string, unknown>;
  for (const name of ['models', 'items', 'versions']) {
    const list = object[name];
    if (Array.isArray(list)) return list as InventoryEntry[];
  }
  return [];
}

export const entryModel = (entry: InventoryEntry): string =>
  String(entry.name ?? entry.model ?? (entry.model as { name?: string } | undefined)?.name ?? '');

const SHOWN = new Set(['name', 'model', 'version']);

/** The model inventory: every model and version, with what the server knows of each. */
export function ModelsPage() {
  const { api } = useApp();
  const [inventory] = useAsync(() => api.json<unknown>('/v1/models'), 'models');
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
        <InventoryTable entries={inventoryEntries(inventory.value)} />
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

function InventoryTable({ entries }: { readonly entries: readonly InventoryEntry[] }) {
  if (entries.length === 0) return <p class="notice">No model has made a decision yet.</p>;
  const columns = [
    ...new Set(
      entries.flatMap((entry) =>
        Object.keys(entry).filter((key) => !SHOWN.has(key) && isScalar(entry[key])),
      ),
    ),
  ];
  return (
    <div class="table-wrap">
      <table>
        <caption>{entries.length} model versions</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Version</th>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column.replaceAll('_', ' ')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, i) => (
            <tr key={i}>
              <td>
                <Link href={`/models/${encodeURIComponent(entryModel(entry))}`}>
                  {entryModel(entry)}
                </Link>
              </td>
              <td>{String(entry.version ?? '')}</td>
              {columns.map((column) => (
                <td key={column} class={typeof entry[column] === 'number' ? 'num' : undefined}>
                  {show(entry[column], column)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function show(value: unknown, column: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (
    typeof value === 'string' &&
    /(_at|_time|first|last)/.test(column) &&
    !Number.isNaN(Date.parse(value))
  ) {
    return formatTime(value);
  }
  return formatNumber(value);
}
