/**
 * Light and dark. The user's choice (Settings) is remembered; "system" follows the OS's
 * prefers-color-scheme, live. The resolved theme is written on <html data-theme>, which
 * renderer/styles/themes.css reads; nothing else in the app knows a colour.
 */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'modelwright.theme';

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value);
}

/** The theme a choice means, given whether the OS prefers dark. */
export function resolveTheme(choice: ThemeChoice, osPrefersDark: boolean): Theme {
  return choice === 'system' ? (osPrefersDark ? 'dark' : 'light') : choice;
}

export function storedThemeChoice(): ThemeChoice {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isThemeChoice(value) ? value : 'system';
  } catch {
    return 'system'; // Storage off (a sandboxed frame): follow the OS.
  }
}

function darkQuery(): MediaQueryList | null {
  return typeof globalThis.matchMedia === 'function' ? globalThis.matchMedia('(prefers-color-scheme: dark)') : null;
}

let current: ThemeChoice = 'system';

function paint(): void {
  if (typeof document === 'undefined') return;
  // With no answer from the OS, dark: the app's look before it had themes.
  const theme = resolveTheme(current, darkQuery()?.matches ?? true);
  document.documentElement.dataset.theme = theme;
}

/** Applies and remembers a choice. */
export function setThemeChoice(choice: ThemeChoice): void {
  current = choice;
  try {
    if (choice === 'system') globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, choice);
  } catch {
    // Not remembered; the switch still happens.
  }
  paint();
}

/** Called once at start-up: paints the remembered choice and follows the OS while it is "system". */
export function startTheme(): ThemeChoice {
  current = storedThemeChoice();
  paint();
  darkQuery()?.addEventListener('change', paint);
  return current;
}
