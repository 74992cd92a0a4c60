/**
 * What the desktop-app side of the UI holds: the question with several answers (Save / Don't
 * save / Cancel), the autosaves offered back after a crash, and the recent documents.
 */
import { create } from 'zustand';
import type { RecentDocument, RecoverableDocument } from '../../engine/api';

export interface ChoiceOption {
  id: string;
  label: string;
  /** The primary button (Enter); `danger` for the one that loses work. */
  kind?: 'primary' | 'danger';
}

export interface Choice {
  title: string;
  text: string;
  /** Left to right; Escape answers null (cancel). */
  options: ChoiceOption[];
  testId?: string;
  resolve(answer: string | null): void;
}

export interface ShellState {
  choice: Choice | null;
  recovery: RecoverableDocument[];
  recent: RecentDocument[];
  set(patch: Partial<Pick<ShellState, 'recovery' | 'recent'>>): void;
  /** Asks; resolves the chosen option's id, or null when cancelled. */
  choose(question: Omit<Choice, 'resolve'>): Promise<string | null>;
}

export const useShellStore = create<ShellState>()((set, get) => ({
  choice: null,
  recovery: [],
  recent: [],
  set: (patch) => set(patch),
  choose: (question) =>
    new Promise<string | null>((resolve) => {
      get().choice?.resolve(null);
      set({
        choice: {
          ...question,
          resolve: (answer) => {
            set({ choice: null });
            resolve(answer);
          },
        },
      });
    }),
}));
