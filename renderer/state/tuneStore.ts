/**
 * The sweeps and learning-rate finders the page follows, fed by the host's TuneEvent stream
 * (whole snapshots, so the newest one simply replaces the last), and what the results view shows.
 * A page that connects asks the host for its jobs (`tuneJobs`) and shows the newest.
 */
import { create } from 'zustand';
import type { LrFindSnapshot, SweepSnapshot, TuneEvent, TuneJobs } from '../../engine/api';

export interface TuneState {
  /** Every sweep the page has seen, by id. */
  sweeps: Readonly<Record<string, SweepSnapshot>>;
  /** The sweep shown (the one this page started last, or the newest the host has). */
  sweepId: string | null;
  /** The finder shown. */
  find: LrFindSnapshot | null;
  /** Whether the results view is open. */
  resultsOpen: boolean;
  /** A sweep or a finder is being asked for; the host has not answered yet. */
  starting: 'sweep' | 'lr-find' | null;
  /** Why the last start did not happen (files not allowed, an invalid sweep). */
  error: string | null;
  receive(event: TuneEvent): void;
  adopt(jobs: TuneJobs): void;
  set(patch: Partial<Pick<TuneState, 'sweepId' | 'resultsOpen' | 'starting' | 'error'>>): void;
}

export const useTuneStore = create<TuneState>()((set, get) => ({
  sweeps: {},
  sweepId: null,
  find: null,
  resultsOpen: false,
  starting: null,
  error: null,
  receive: (event) => {
    if (event.type === 'sweep') {
      const { sweeps, sweepId } = get();
      set({ sweeps: { ...sweeps, [event.sweep.sweepId]: event.sweep }, sweepId: sweepId ?? event.sweep.sweepId });
    } else {
      const shown = get().find;
      // A finder started elsewhere does not replace one this page is showing.
      if (!shown || shown.findId === event.find.findId || shown.state !== 'running') set({ find: event.find });
    }
  },
  adopt: (jobs) => {
    const sweeps = { ...get().sweeps };
    for (const s of jobs.sweeps) sweeps[s.sweepId] = s;
    const newest = [...jobs.sweeps].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1);
    const find = get().find ?? [...jobs.finds].at(-1) ?? null;
    set({
      sweeps,
      sweepId: get().sweepId ?? newest?.sweepId ?? null,
      find: find && jobs.finds.find((f) => f.findId === find.findId) ? jobs.finds.find((f) => f.findId === find.findId)! : find,
    });
  },
  set: (patch) => set(patch),
}));

/** The sweep shown, or null. */
export const useShownSweep = () => useTuneStore((s) => (s.sweepId ? (s.sweeps[s.sweepId] ?? null) : null));
