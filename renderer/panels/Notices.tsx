import { useTranslation } from 'react-i18next';
import { useAppStore } from '../state/appStore';
import { Icon } from '../ui/Icon';

/** Short messages in a corner: saved, could not open, ... Errors stay until dismissed. */
export function Notices() {
  const { t } = useTranslation();
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.kind}`}>
          {n.kind === 'error' && <Icon name="warn" />}
          <span>{n.text}</span>
          <button type="button" className="tool" onClick={() => dismiss(n.id)} aria-label={t('app.notice.dismiss')}>
            <Icon name="close" />
          </button>
        </div>
      ))}
    </div>
  );
}
