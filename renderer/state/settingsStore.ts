/** The Settings dialog's state: whether it is open, and the language and theme the user chose (both remembered). */
import { create } from 'zustand';
import { languageChoice, setLanguage, type LanguageChoice } from '../i18n';
import { setThemeChoice, storedThemeChoice, type ThemeChoice } from '../ui/theme';

export interface SettingsState {
  open: boolean;
  language: LanguageChoice;
  theme: ThemeChoice;
  setOpen(open: boolean): void;
  setLanguage(choice: LanguageChoice): void;
  setTheme(choice: ThemeChoice): void;
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  open: false,
  language: languageChoice(),
  theme: storedThemeChoice(),
  setOpen: (open) => set({ open }),
  setLanguage: (language) => {
    setLanguage(language);
    set({ language });
  },
  setTheme: (theme) => {
    setThemeChoice(theme);
    set({ theme });
  },
}));
