import { useTranslation } from 'react-i18next';
import { COMMANDS, keyLabel, MENUS } from '../commands';
import { useAppStore } from '../state/appStore';

/** Every command that has keys, menu by menu, from the one command table. */
export function ShortcutsHelp() {
  const { t } = useTranslation();
  const open = useAppStore((s) => s.showShortcuts);
  if (!open) return null;
  const close = () => useAppStore.getState().set({ showShortcuts: false });
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog shortcuts-dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts-help">
        <h2 id="shortcuts-title">{t('commands.help.title')}</h2>
        <table className="shortcuts">
          {MENUS.map((menu) => {
            const rows = COMMANDS.filter((c) => c.menu === menu && c.keys && c.keys.length > 0);
            if (rows.length === 0) return null;
            return (
              <tbody key={menu}>
                <tr>
                  <th colSpan={2}>{t(`commands.menu.${menu}`)}</th>
                </tr>
                {rows.map((c) => (
                  <tr key={c.id} data-testid={`shortcut-${c.id}`}>
                    <td className="keys">
                      {(c.keys ?? []).map((k, i) => (
                        <span key={k}>
                          {i > 0 && <span className="muted"> {t('commands.help.or')} </span>}
                          <kbd>{keyLabel(k)}</kbd>
                        </span>
                      ))}
                    </td>
                    <td>{t(`commands.${c.id}`)}</td>
                  </tr>
                ))}
              </tbody>
            );
          })}
        </table>
        <div className="dialog-buttons">
          <button type="button" className="primary" onClick={close}>
            {t('commands.help.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
