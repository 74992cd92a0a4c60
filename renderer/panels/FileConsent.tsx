import { useTranslation } from 'react-i18next';
import type { DocumentFile } from '../../engine/api';
import { refusedFiles, useConsentStore } from '../state/consentStore';
import { useTrainingStore } from '../state/trainingStore';
import { Icon } from '../ui/Icon';

/** Every role a file can have (checked by the compiler); each one's words are `app.consent.role.<role>`. */
const ROLES: Record<DocumentFile['role'], true> = { data: true, pretrained: true };
export const CONSENT_ROLES = Object.keys(ROLES) as DocumentFile['role'][];

/**
 * Asks before the engine reads a file the open document names (issue 3: a path inside a
 * document is read only once the user has seen and accepted it). Not modal: the model can be
 * looked at and edited while it is up; nothing is read until "Allow".
 */
export function FileConsent() {
  const { t } = useTranslation();
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
        <Icon name="warn" /> {t('app.consent.title', { count: refused.length })}
      </h2>
      <p className="small muted">{t('app.consent.explain')}</p>
      <ul className="consent-files">
        {refused.map((f) => (
          <li key={`${f.role}:${f.nodeId ?? ''}:${f.resolvedPath}`} data-testid="consent-file">
            <span className="mono path" title={f.resolvedPath}>
              {f.resolvedPath}
            </span>
            <span className="muted small">
              {t(`app.consent.role.${f.role}`)}
              {f.nodeId ? ` · ${t('app.consent.node', { id: f.nodeId })}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <div className="dialog-buttons">
        <button type="button" onClick={() => useConsentStore.getState().dismiss()} data-testid="consent-dismiss">
          {t('app.consent.notNow')}
        </button>
        <button type="button" className="primary" onClick={accept} data-testid="consent-allow">
          {t('app.consent.allow')}
        </button>
      </div>
    </div>
  );
}
