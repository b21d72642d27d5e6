import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { KeyPin } from '../components/key-pin';
import { ErrorNotice, Loading } from '../components/status-notice';
import { usePinnedKey } from '../components/use-pinned-key';
import { formatTime } from '../format';
import { toBase64 } from '../ledger/bytes';
import { checkConsistency, type ConsistencyCheck } from '../ledger/check-consistency';
import { checkpointSignedBy, parseCheckpointNote } from '../ledger/checkpoint-note';
import { saveCheckpoint, savedCheckpoints } from '../ledger/pinned-keys';
import { useAsync } from '../use-async';

/**
 * The ledger: the latest signed checkpoint, checked here against the pinned key, and proof
 * that the log only grew since a checkpoint saved earlier.
 */
export function LedgerPage() {
  const { api, identity } = useApp();
  const keys = usePinnedKey();
  const [round, setRound] = useState(0);
  const [latest] = useAsync(
    async () => {
      const text = await api.text('/v1/log/checkpoint');
      const parsed = parseCheckpointNote(text);
      if (!parsed.ok) throw new Error(`the checkpoint cannot be read: ${parsed.why}`);
      const signed = keys.pinned ? await checkpointSignedBy(parsed.note, keys.pinned) : null;
      return { note: parsed.note, signed };
    },
    `${round} ${keys.pinned?.text ?? ''}`,
  );
  const [saved, setSaved] = useState(() => savedCheckpoints(identity.tenant));
  const [pasted, setPasted] = useState('');
  const [check, setCheck] = useState<ConsistencyCheck | { readonly pending: true } | null>(null);

  const runCheck = async (text: string) => {
    if (latest.status !== 'ok' || !keys.pinned) return;
    setCheck({ pending: true });
    try {
      setCheck(
        await checkConsistency(text, latest.value.note, keys.pinned, (from, to) =>
          api.json('/v1/log/proof/consistency', { from: String(from), to: String(to) }),
        ),
      );
    } catch (error) {
      setCheck({ consistent: false, why: `the proof could not be read (${String(error)})` });
    }
  };

  return (
    <main id="main" class="page">
      <h1>Ledger</h1>
      <section aria-labelledby="key-heading">
        <h2 id="key-heading">Verifier key</h2>
        {keys.served && (
          <p>
            <code>{keys.served.name}</code>, fingerprint{' '}
            <code class="fingerprint">{keys.servedFingerprint}</code>
            {keys.pinned && keys.pinned.text === keys.served.text && ' (pinned in this browser)'}
          </p>
        )}
        <KeyPin keys={keys} />
      </section>
      <section aria-labelledby="checkpoint-heading">
        <h2 id="checkpoint-heading">Latest checkpoint</h2>
        {latest.status === 'loading' ? (
          <Loading what="the checkpoint" />
        ) : latest.status === 'error' ? (
          <ErrorNotice error={latest.error} what="The checkpoint could not be read" />
        ) : (
          <>
            <dl class="facts">
              <dt>Origin</dt>
              <dd>{latest.value.note.origin}</dd>
              <dt>Tree size</dt>
              <dd data-testid="tree-size">{latest.value.note.size.toLocaleString()} entries</dd>
              <dt>Root</dt>
              <dd>
                <code>{toBase64(latest.value.note.root)}</code>
              </dd>
              <dt>Signature</dt>
              <dd>
                {latest.value.signed === null ? (
                  'not checked: pin the verifier key first'
                ) : latest.value.signed ? (
                  <span class="badge verified">verified with the pinned key</span>
                ) : (
                  <span class="badge unverified">NOT signed by the pinned key</span>
                )}
              </dd>
            </dl>
            <div class="form-actions">
              <button
                type="button"
                onClick={() => {
                  saveCheckpoint(identity.tenant, {
                    text: latest.value.note.text,
                    size: latest.value.note.size,
                    savedAt: new Date().toISOString(),
                  });
                  setSaved(savedCheckpoints(identity.tenant));
                }}
              >
                Save this checkpoint in this browser
              </button>
              <button type="button" class="secondary" onClick={() => setRound((n) => n + 1)}>
                Reload
              </button>
            </div>
          </>
        )}
      </section>
      <section aria-labelledby="consistency-heading">
        <h2 id="consistency-heading">Has the log only grown?</h2>
        <p>
          Check a checkpoint saved earlier against the latest: this browser verifies both signatures
          and the consistency proof.
        </p>
        {saved.length > 0 && (
          <ul class="saved">
            {saved.map((item) => (
              <li key={item.text}>
                Size {item.size.toLocaleString()}, saved {formatTime(item.savedAt)}{' '}
                <button
                  type="button"
                  disabled={!keys.pinned}
                  onClick={() => void runCheck(item.text)}
                >
                  Check against the latest
                </button>
              </li>
            ))}
          </ul>
        )}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void runCheck(pasted.endsWith('\n') ? pasted : `${pasted}\n`);
          }}
        >
          <label for="pasted-checkpoint">Or paste a checkpoint kept elsewhere</label>
          <textarea
            id="pasted-checkpoint"
            rows={5}
            value={pasted}
            onInput={(e) => setPasted(e.currentTarget.value)}
          />
          <button type="submit" disabled={!keys.pinned || pasted.trim() === ''}>
            Check the pasted checkpoint
          </button>
        </form>
        <div aria-live="polite">
          {check === null ? null : 'pending' in check ? (
            <p role="status">Checking…</p>
          ) : check.consistent ? (
            <p class="badge verified" data-consistent="true">
              Consistent: the log of {check.to.toLocaleString()} entries extends the saved one of{' '}
              {check.from.toLocaleString()}.
            </p>
          ) : (
            <p class="badge unverified" data-consistent="false">
              Not consistent: {check.why}.
            </p>
          )}
        </div>
      </section>
    </main>
  );
}
