import { describe, expect, it } from 'vitest';
import { LANGUAGES, createI18n } from '../../../renderer/i18n';
import { runningJob } from '../../../renderer/state/runningJob';
import { IDLE_RUN, type RunState } from '../../../renderer/state/trainingStore';
import { THEME_CHOICES, isThemeChoice, resolveTheme } from '../../../renderer/ui/theme';
import type { ConnectionState } from '../../../renderer/host/Host';
import type { SidebarTab } from '../../../renderer/state/appStore';
import type { TrainingView } from '../../../renderer/state/runsStore';
import { SETTINGS_FIELDS } from '../../../renderer/panels/TrainingSettings';
import { CONSENT_ROLES } from '../../../renderer/panels/FileConsent';
import { readBiasVariance, type BiasVarianceNote, type Diagnosis } from '../../../renderer/state/biasVariance';
import { RUN_ENDINGS } from '../../../renderer/panels/RunsPanel';
import { TRIAL_STATES } from '../../../renderer/panels/SweepTable';
import type { FieldProblem } from '../../../renderer/inspector/paramFields';
import type { LrFindSnapshot, SweepSnapshot } from '../../../engine/api';

describe('themes', () => {
  it('follow the OS on "system" and keep a fixed choice', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
    expect(isThemeChoice('dark')).toBe(true);
    expect(isThemeChoice('sepia')).toBe(false);
  });
});

describe('keys built at run time', () => {
  const connections: ConnectionState[] = ['connecting', 'open', 'reconnecting', 'closed'];
  it.each(LANGUAGES)('have words in %s', (language) => {
    const i18n = createI18n(language);
    const keys = [...connections.map((c) => `status.connection.${c}`), ...THEME_CHOICES.filter((c) => c !== 'system').map((c) => `settings.theme.${c}`)];
    for (const key of keys) expect(i18n.exists(key), key).toBe(true);
  });

  it('use plural forms by count', () => {
    const en = createI18n('en');
    expect(en.t('status.problems', { count: 1 })).toBe('⚠ 1 problem');
    expect(en.t('status.problems', { count: 3 })).toBe('⚠ 3 problems');
    expect(createI18n('ko').t('status.problems', { count: 3 })).toBe('⚠ 문제 3개');
  });
});

describe('the running job', () => {
  const running: RunState = {
    ...IDLE_RUN,
    status: 'running',
    runId: 'r1',
    start: { epochs: 5, stepsPerEpoch: 120 } as RunState['start'],
    lastBatch: { type: 'batch', runId: 'r1', epoch: 2, batch: 37, step: 157, loss: 1, acc: 0.5, msPerStep: 3 },
  };
  it('is the training run first, with its epoch and step', () => {
    expect(runningJob(running, 'Surname CNN', null, null)).toEqual({
      kind: 'run',
      name: 'Surname CNN',
      status: 'running',
      epoch: 2,
      epochs: 5,
      step: 37,
      steps: 120,
      ahead: 0,
    });
  });
  it('is a running sweep, else a running finder, else nothing', () => {
    const sweep = {
      documentName: 'CNN',
      state: 'running',
      sweep: { trials: 12 },
      trials: [{ state: 'done' }, { state: 'pruned' }, { state: 'running' }, { state: 'pending' }],
    } as unknown as SweepSnapshot;
    const find = { documentName: 'GRU', state: 'running', steps: 100, points: [{ step: 41, lr: 0.01, loss: 2 }] } as unknown as LrFindSnapshot;
    expect(runningJob(IDLE_RUN, '', sweep, find)).toEqual({ kind: 'sweep', name: 'CNN', done: 2, trials: 12, running: 1 });
    expect(runningJob(IDLE_RUN, '', { ...sweep, state: 'done' }, find)).toEqual({ kind: 'lr-find', name: 'GRU', step: 41, steps: 100 });
    expect(runningJob({ ...running, status: 'done' }, 'x', null, { ...find, state: 'done' })).toBeNull();
  });
});

describe('the inspector words a refused value', () => {
  // Every key the checker can give, checked by the compiler.
  const all: Record<FieldProblem['key'], true> = {
    needed: true,
    invalid: true,
    'at-least': true,
    'more-than': true,
    'at-most': true,
    'less-than': true,
    'at-least-items': true,
    'at-most-items': true,
    'whole-number': true,
    list: true,
    type: true,
    union: true,
    other: true,
  };
  const keys = Object.keys(all);
  it.each(LANGUAGES)('has every check in %s', (language) => {
    const i18n = createI18n(language);
    expect(keys.filter((k) => !i18n.exists(`inspector.check.${k}`))).toEqual([]);
  });
});

describe('the panels’ keys built at run time', () => {
  const sidebar: Record<SidebarTab, true> = { block: true, model: true, training: true, data: true };
  const views: Record<TrainingView, true> = { curves: true, test: true, predict: true, runs: true };
  it.each(LANGUAGES)('have words in %s', (language) => {
    const i18n = createI18n(language);
    const keys = [
      ...Object.keys(sidebar).map((id) => `app.sidebar.${id}`),
      ...Object.keys(views).flatMap((id) => [`training.views.${id}.label`, `training.views.${id}.title`]),
      ...SETTINGS_FIELDS.flatMap((key) => [`training.settings.label.${key}`, `training.settings.help.${key}`]),
      ...CONSENT_ROLES.map((role) => `app.consent.role.${role}`),
    ];
    expect(keys.filter((key) => !i18n.exists(key))).toEqual([]);
  });
});

describe('the bias/variance words', () => {
  const diagnoses: Record<Diagnosis, true> = { bias: true, variance: true, balanced: true };
  const notes: Record<BiasVarianceNote['key'], true> = { 'human-too-high': true, 'dev-below-train': true, 'variance-too': true, 'bias-too': true };
  it.each(LANGUAGES)('have every diagnosis and note in %s', (language) => {
    const i18n = createI18n(language);
    const keys = [
      ...Object.keys(diagnoses).flatMap((d) => [`training.bv.title.${d}`, `training.bv.headline.${d}`, `training.bv.advice.${d}`]),
      ...Object.keys(notes).map((n) => `training.bv.note.${n}`),
    ];
    expect(keys.filter((key) => !i18n.exists(key))).toEqual([]);
  });
  it('say the notes a reading makes, with their values', () => {
    const r = readBiasVariance({ trainAcc: 0.7, devAcc: 0.5 });
    expect(r?.notes).toEqual([{ key: 'variance-too', params: { variance: '20.0' } }]);
    expect(createI18n('ko').t(`training.bv.note.${r!.notes[0]!.key}`, r!.notes[0]!.params)).toContain('분산(20.0%p)');
  });
});

describe('the runs list words every ending', () => {
  it.each(LANGUAGES)('in %s', (language) => {
    const i18n = createI18n(language);
    expect(RUN_ENDINGS.filter((e) => !i18n.exists(`runs.ended.${e}`))).toEqual([]);
  });
});

describe('the sweep table words every trial state', () => {
  it.each(LANGUAGES)('in %s', (language) => {
    const i18n = createI18n(language);
    expect(TRIAL_STATES.filter((s) => !i18n.exists(`tune.table.state.${s}`))).toEqual([]);
  });
});

describe('the run status words every way a run ends', () => {
  const reasons: Record<NonNullable<RunState['done']>['reason'], true> = { completed: true, stopped: true, 'early-stopped': true, nan: true };
  it.each(LANGUAGES)('in %s', (language) => {
    const i18n = createI18n(language);
    expect(Object.keys(reasons).filter((r) => !i18n.exists(`training.status.ended.${r}`, { count: 2 }))).toEqual([]);
    expect(createI18n('en').t('training.status.ended.completed', { count: 1, time: '0:19' })).toBe('Finished after 1 epoch in 0:19.');
  });
});
