/** App-wide state that is not the document: the engine link, the backend, examples, messages. */
import type { Words } from '../../engine/words';
import { create } from 'zustand';
import type { BackendInfo, DataProgress, DataSummary, ExampleInfo } from '../../engine/api';
import type { DataFacts } from '../../engine/graph/types';
import type { ConnectionState } from '../host/Host';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

/** A question the app asks before doing something that loses work. */
export interface Confirmation {
  title: string;
  text: string;
  confirmLabel: string;
  resolve(ok: boolean): void;
}

export type DataState =
  | { status: 'idle' }
  /** The document has no data section: nothing to read, and no facts for "auto" params. */
  | { status: 'none' }
  /** Being read; `progress` says how far, once the engine has said (dataProgress). */
  | { status: 'loading'; key: string; progress?: DataProgress }
  | { status: 'ok'; key: string; summary: DataSummary }
  /** Unreadable data: the engine's English message, and its words to say it in the user's language. */
  | { status: 'error'; key: string; message: string; words?: Words }
  /** The document's data file is not accepted yet: nothing was read. */
  | { status: 'needs-consent'; key: string; message: string };

export type SidebarTab = 'block' | 'model' | 'training' | 'data';

export interface AppState {
  connection: ConnectionState;
  backend: BackendInfo | null;
  backendError: string | null;
  examples: ExampleInfo[];
  data: DataState;
  /** Facts for `"auto"` params; the same object while the data summary does not change. */
  facts: DataFacts;
  notices: Notice[];
  confirmation: Confirmation | null;
  sidebarTab: SidebarTab;
  showShortcuts: boolean;
  set(patch: Partial<Omit<AppState, 'set' | 'notify' | 'dismiss' | 'confirm'>>): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
  /** Asks the user; resolves true when they confirm. */
  confirm(question: Omit<Confirmation, 'resolve'>): Promise<boolean>;
}

let noticeId = 0;
const NO_FACTS: DataFacts = {};

export const useAppStore = create<AppState>()((set, get) => ({
  connection: 'connecting',
  backend: null,
  backendError: null,
  examples: [],
  data: { status: 'idle' },
  facts: NO_FACTS,
  notices: [],
  confirmation: null,
  sidebarTab: 'block',
  showShortcuts: false,
  set: (patch) => set(patch),
  notify: (kind, text) => {
    const id = ++noticeId;
    set({ notices: [...get().notices.slice(-3), { id, kind, text }] });
    if (kind === 'info') setTimeout(() => get().dismiss(id), 4_000);
  },
  dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
  confirm: (question) =>
    new Promise<boolean>((resolve) => {
      get().confirmation?.resolve(false);
      set({
        confirmation: {
          ...question,
          resolve: (ok) => {
            set({ confirmation: null });
            resolve(ok);
          },
        },
      });
    }),
}));
