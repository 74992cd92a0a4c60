import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../state/appStore';

/** The app's own confirm (window.confirm blocks the page and looks foreign in the desktop app). */
export function ConfirmDialog() {
  const { t } = useTranslation();
  const question = useAppStore((s) => s.confirmation);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!question) return;
    confirmRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') question.resolve(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [question]);
  if (!question) return null;
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && question.resolve(false)}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
        <h2 id="confirm-title">{question.title}</h2>
        <p>{question.text}</p>
        <div className="dialog-buttons">
          <button type="button" onClick={() => question.resolve(false)} data-testid="confirm-cancel">
            {t('app.confirm.cancel')}
          </button>
          <button type="button" className="danger" ref={confirmRef} onClick={() => question.resolve(true)} data-testid="confirm-ok">
            {question.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
