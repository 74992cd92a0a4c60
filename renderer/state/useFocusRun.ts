/**
 * The run that prediction and the test view are about: the one picked in the runs list, else
 * the last run this page watched finish (with a model), else the newest stored run with one.
 */
import type { SplitEvaluation } from '../../engine/api';
import { runLabel, useRunsStore } from './runsStore';
import { useTrainingStore } from './trainingStore';
import { t } from '../i18n';

export interface FocusRun {
  runId: string;
  /** For people: the run's name, or what it is ("the last run"). */
  label: string;
  /** Whether the user picked it in the runs list. */
  picked: boolean;
  /** Its test evaluation when this page already has it (the `done` event it watched). */
  test?: SplitEvaluation;
}

export function useFocusRun(): FocusRun | null {
  const picked = useRunsStore((s) => s.picked);
  const runs = useRunsStore((s) => s.runs);
  const done = useTrainingStore((s) => s.run.done);
  if (picked) {
    const run = runs?.find((r) => r.runId === picked);
    return { runId: picked, label: run ? runLabel(run) : picked, picked: true, ...(done?.runId === picked && done.test ? { test: done.test } : {}) };
  }
  if (done && done.reason !== 'nan') {
    const run = runs?.find((r) => r.runId === done.runId);
    return { runId: done.runId, label: run?.name ?? t('state.lastRun'), picked: false, ...(done.test ? { test: done.test } : {}) };
  }
  const newest = runs?.find((r) => r.hasModel && r.ended !== 'running');
  return newest ? { runId: newest.runId, label: runLabel(newest), picked: false } : null;
}
