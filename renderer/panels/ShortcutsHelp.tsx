import { useAppStore } from '../state/appStore';
import { keyLabel, SHORTCUTS } from '../useShortcuts';

export function ShortcutsHelp() {
  const open = useAppStore((s) => s.showShortcuts);
  if (!open) return null;
  const close = () => useAppStore.getState().set({ showShortcuts: false });
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td className="keys">
                  {keys.split(/\s+or\s+/).map((k, i) => (
                    <span key={k}>
                      {i > 0 && <span className="muted"> or </span>}
                      <kbd>{keyLabel(k)}</kbd>
                    </span>
                  ))}
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog-buttons">
          <button type="button" className="primary" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
