import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, LANGUAGE_NAMES, pickLanguage, type LanguageChoice } from '../i18n';
import { useSettingsStore } from '../state/settingsStore';
import { THEME_CHOICES, resolveTheme, type ThemeChoice } from '../ui/theme';

/** What the OS / browser would pick, for the "follow the system (…)" labels. */
function systemLanguage(): string {
  const nav = globalThis.navigator as Navigator | undefined;
  return LANGUAGE_NAMES[pickLanguage(null, nav?.languages ?? [])];
}

function systemPrefersDark(): boolean {
  return typeof globalThis.matchMedia === 'function' ? globalThis.matchMedia('(prefers-color-scheme: dark)').matches : true;
}

/** Language and theme, each "follow the system" or a fixed choice; remembered on this computer. */
export function SettingsDialog() {
  const { t } = useTranslation();
  const open = useSettingsStore((s) => s.open);
  const language = useSettingsStore((s) => s.language);
  const theme = useSettingsStore((s) => s.theme);
  const first = useRef<HTMLSelectElement>(null);
  const close = () => useSettingsStore.getState().setOpen(false);

  useEffect(() => {
    if (!open) return;
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (!open) return null;

  const osTheme = resolveTheme('system', systemPrefersDark());
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog settings" role="dialog" aria-modal="true" aria-labelledby="settings-title" data-testid="settings-dialog">
        <h2 id="settings-title">{t('settings.title')}</h2>
        <label className="settings-row">
          <span>{t('settings.language.label')}</span>
          <select
            ref={first}
            value={language}
            onChange={(e) => useSettingsStore.getState().setLanguage(e.target.value as LanguageChoice)}
            data-testid="settings-language"
          >
            <option value="system">{t('settings.language.system', { name: systemLanguage() })}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <p className="small muted settings-help">{t('settings.language.help')}</p>
        <label className="settings-row">
          <span>{t('settings.theme.label')}</span>
          <select value={theme} onChange={(e) => useSettingsStore.getState().setTheme(e.target.value as ThemeChoice)} data-testid="settings-theme">
            {THEME_CHOICES.map((c) => (
              <option key={c} value={c}>
                {c === 'system' ? t('settings.theme.system', { name: t(`settings.theme.${osTheme}`) }) : t(`settings.theme.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <p className="small muted">{t('settings.remembered')}</p>
        <div className="dialog-buttons">
          <button type="button" className="primary" onClick={close} data-testid="settings-close">
            {t('settings.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
