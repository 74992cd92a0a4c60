import type { DocumentFile } from '../../engine/api';
import { refusedFiles, useConsentStore } from '../state/consentStore';
import { useTrainingStore } from '../state/trainingStore';
import { Icon } from '../ui/Icon';

const ROLE: Record<DocumentFile['role'], string> = { data: 'data', pretrained: 'pretrained vectors' };

/**
 * Asks before the engine reads a file the open document names (issue 3: a path inside a
 * document is read only once the user has seen and accepted it). Not modal: the model can be
 * looked at and edited while it is up; nothing is read until "Allow".
 */
export function FileConsent() {
  const open = useConsentStore((s) => s.open);
  const files = useConsentStore((s) => s.files);
  const refused = refusedFiles(files);
  if (!open || refused.length === 0) return null;
  const accept = () => {
    useConsentStore.getState().accept(refused.map((f) => f.resolvedPath));
    // A Train that stopped to ask has nothing left to explain; the next one goes ahead.
    const { run, reset } = useTrainingStore.getState();
    if (run.status === 'error' && run.runId === null) reset();
  };
  return (
    <div className="consent" role="region" aria-labelledby="consent-title" data-testid="consent-dialog">
      <h2 id="consent-title">
        <Icon name="warn" /> This model reads {refused.length === 1 ? 'a file' : `${refused.length} files`} on this computer
      </h2>
      <p className="small muted">Modelwright reads a file named in a document only after you allow it. Allow only what you expect this model to read:</p>
      <ul className="consent-files">
        {refused.map((f) => (
          <li key={`${f.role}:${f.nodeId ?? ''}:${f.resolvedPath}`} data-testid="consent-file">
            <span className="mono path" title={f.resolvedPath}>
              {f.resolvedPath}
            </span>
            <span className="muted small">
              {ROLE[f.role]}
              {f.nodeId ? ` · node ${f.nodeId}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <div className="dialog-buttons">
        <button type="button" onClick={() => useConsentStore.getState().dismiss()} data-testid="consent-dismiss">
          Not now
        </button>
        <button type="button" className="primary" onClick={accept} data-testid="consent-allow">
          Allow
        </button>
      </div>
    </div>
  );
}
