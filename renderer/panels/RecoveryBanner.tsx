import { useTranslation } from 'react-i18next';
import { useHost } from '../HostContext';
import { useShellStore } from '../state/shellStore';
import { useMenu } from '../ui/useMenu';

/** The model's own name in an autosaved text (the host checked it is a document when it wrote it). */
function modelName(text: string): string | null {
  try {
    const name = (JSON.parse(text) as { name?: unknown }).name;
    return typeof name === 'string' && name.trim() ? name : null;
  } catch {
    return null;
  }
}

/**
 * What a crash, a kill or a closed tab left unsaved, offered back with the time it was saved:
 * a button in the toolbar that stands out while there is any, and opens the list. It covers
 * nothing, so the app is usable around it; it stays until the user restores or discards.
 */
export function RecoveryBanner() {
  const { t, i18n } = useTranslation();
  const { host, actions } = useHost();
  const offers = useShellStore((s) => s.recovery);
  const { open, setOpen, ref } = useMenu();
  const newest = offers[0];
  if (!newest) return null;
  const discard = (slot: string) => {
    useShellStore.getState().set({ recovery: useShellStore.getState().recovery.filter((r) => r.slot !== slot) });
    void host.engine.discardAutosave(slot).catch(() => undefined);
  };
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="menu recovery-menu" ref={ref}>
      <button
        type="button"
        className="tool wide attention"
        onClick={() => setOpen(!open)}
        aria-haspopup="dialog"
        aria-expanded={open}
        title={t('shell.recovery.text')}
        data-testid="recovery-button"
      >
        <span>{t('shell.recovery.button', { count: offers.length })}</span>
      </button>
      {open && (
        <section className="menu-list recovery" role="dialog" aria-label={t('shell.recovery.title')} data-testid="recovery">
          <h2>{t('shell.recovery.title')}</h2>
          <p className="muted small">{t('shell.recovery.text')}</p>
          <ul>
            {offers.slice(0, 8).map((offer) => (
              <li key={offer.slot} data-testid="recovery-item">
                <span className="recovery-what">
                  <span className="recovery-name" title={offer.documentPath ?? offer.name}>
                    {modelName(offer.text) ?? offer.name}
                  </span>
                  <span className="muted small" data-testid="recovery-time">
                    {offer.name} · {t('shell.recovery.savedAt', { time: when(offer.savedAt) })}
                  </span>
                </span>
                <button
                  type="button"
                  className="primary"
                  onClick={() => {
                    setOpen(false);
                    void actions.restore(offer);
                  }}
                  data-testid="recovery-restore"
                >
                  {t('shell.recovery.restore')}
                </button>
                <button type="button" onClick={() => discard(offer.slot)} data-testid="recovery-discard">
                  {t('shell.recovery.discard')}
                </button>
              </li>
            ))}
          </ul>
          {offers.length > 8 && <p className="muted small">{t('shell.recovery.more', { count: offers.length - 8 })}</p>}
        </section>
      )}
    </div>
  );
}
