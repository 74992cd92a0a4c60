/**
 * The document's sweep as a form: each param's target, scale and range (or choices), the method,
 * the trial budget, the seed and halving, checked live with the engine's own validateSweep.
 * Every change is an undoable edit of the Document (typing in one field is one step).
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { sayWords } from '../i18n/engineErrors';
import type { Words } from '../../engine/words';
import type { Document, SweepParam, SweepSpec } from '../../engine/graph/document';
import { defaultSweep, targetPath, validateSweep, withSweep } from '../../engine/graph/sweep';
import { useDocumentStore } from '../state/documentStore';
import { suggestParam, targetOptions } from './sweepSuggest';

const SCALES: readonly { value: SweepParam['scale']; label: string }[] = [
  { value: 'log', label: 'log' },
  { value: 'linear', label: 'linear' },
  { value: 'int', label: 'integer' },
  { value: 'intLog', label: 'integer, log' },
  { value: 'oneMinusLog', label: '1 − x, log (β)' },
  { value: 'choice', label: 'choice' },
];

/** "32, 64, 128" or "relu, tanh" → the values, numbers where they read as numbers. */
function parseChoices(text: string): (number | string | boolean)[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => (t === 'true' ? true : t === 'false' ? false : Number.isFinite(Number(t)) ? Number(t) : t));
}

function NumberBox({ value, onChange, testId, label }: { value: number; onChange: (v: number) => void; testId: string; label: string }) {
  return (
    <input
      type="text"
      inputMode="decimal"
      aria-label={label}
      defaultValue={String(value)}
      key={String(value)}
      onBlur={(e) => {
        const v = Number(e.target.value);
        if (Number.isFinite(v) && v !== value) onChange(v);
      }}
      onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
      data-testid={testId}
    />
  );
}

/** The problem's words with the target it names by its label in the editor ("학습률", "conv1 · 필터 수"), not its path. */
function namedTarget(words: Words, options: readonly { path: string; label: string }[]): Words {
  const path = words.params?.path;
  const option = typeof path === 'string' ? options.find((o) => o.path === path) : undefined;
  return option ? { ...words, params: { ...words.params, path: option.label } } : words;
}

export function SweepEditor({ doc }: { doc: Document }) {
  const edit = useDocumentStore((s) => s.edit);
  const { t } = useTranslation();
  const sweep = doc.sweep;
  const options = useMemo(() => targetOptions(doc), [doc.graph]);
  const issues = useMemo(() => (sweep ? validateSweep(doc, sweep) : []), [doc.graph, sweep]);
  if (!sweep) {
    return (
      <div className="sweep-editor" data-testid="sweep-editor">
        <p className="muted small">{t('sweep.intro')}</p>
        <button type="button" onClick={() => edit((d) => withSweep(d, defaultSweep()), null)} data-testid="sweep-add">
          {t('sweep.add')}
        </button>
      </div>
    );
  }
  const set = (next: SweepSpec, key: string) => edit((d) => withSweep(d, next), `sweep:${key}`);
  const setParam = (i: number, p: SweepParam, key: string) => set({ ...sweep, params: sweep.params.map((q, j) => (j === i ? p : q)) }, `${i}:${key}`);
  const used = new Set(sweep.params.map((p) => targetPath(p.target)));
  const addParam = () => {
    const next =
      options.find((o) => !used.has(o.path) && o.path === 'training.optimizer.lr') ??
      options.find((o) => !used.has(o.path) && o.group === 'Blocks') ??
      options.find((o) => !used.has(o.path));
    if (next) edit((d) => withSweep(d, { ...sweep, params: [...sweep.params, suggestParam(d, next.target)] }), null);
  };
  return (
    <div className="sweep-editor" data-testid="sweep-editor">
      {sweep.params.map((p, i) => {
        const path = targetPath(p.target);
        const known = options.some((o) => o.path === path);
        return (
          <div className="sweep-param" key={`${i}:${path}`} data-testid="sweep-param" data-path={path}>
            <div className="sweep-param-row">
              <select
                aria-label={t('sweep.what')}
                value={path}
                onChange={(e) => {
                  const o = options.find((x) => x.path === e.target.value);
                  if (o) edit((d) => withSweep(d, { ...sweep, params: sweep.params.map((q, j) => (j === i ? suggestParam(d, o.target) : q)) }), null);
                }}
                data-testid={`sweep-target-${i}`}
              >
                {!known && <option value={path}>{t('sweep.notInGraph', { path })}</option>}
                {(['Training', 'Blocks'] as const).map((group) => (
                  <optgroup key={group} label={t(`sweep.group.${group}`)}>
                    {options
                      .filter((o) => o.group === group)
                      .map((o) => (
                        <option key={o.path} value={o.path} disabled={used.has(o.path) && o.path !== path}>
                          {o.label}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
              <button
                type="button"
                className="tool"
                aria-label={t('sweep.remove')}
                title={t('sweep.removeShort')}
                onClick={() => set({ ...sweep, params: sweep.params.filter((_, j) => j !== i) }, `remove:${i}`)}
              >
                ×
              </button>
            </div>
            <div className="sweep-param-row">
              <select
                aria-label={t('sweep.scale')}
                value={p.scale}
                onChange={(e) => {
                  const scale = e.target.value as SweepParam['scale'];
                  if (scale === p.scale) return;
                  if (scale === 'choice') setParam(i, { target: p.target, scale, choices: p.scale === 'choice' ? p.choices : [p.min, p.max] }, 'scale');
                  else if (p.scale === 'choice') {
                    const nums = p.choices.filter((c): c is number => typeof c === 'number');
                    const s = suggestParam(doc, p.target);
                    setParam(
                      i,
                      {
                        target: p.target,
                        scale,
                        min: nums.length ? Math.min(...nums) : s.scale !== 'choice' ? s.min : 0,
                        max: nums.length ? Math.max(...nums) : s.scale !== 'choice' ? s.max : 1,
                      },
                      'scale',
                    );
                  } else setParam(i, { ...p, scale }, 'scale');
                }}
                data-testid={`sweep-scale-${i}`}
              >
                {SCALES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {t(`sweep.scales.${s.value}`, { defaultValue: s.label })}
                  </option>
                ))}
              </select>
              {p.scale === 'choice' ? (
                <input
                  type="text"
                  aria-label={t('sweep.choices')}
                  key={JSON.stringify(p.choices)}
                  defaultValue={p.choices.join(', ')}
                  onBlur={(e) => {
                    const choices = parseChoices(e.target.value);
                    if (choices.length > 0 && JSON.stringify(choices) !== JSON.stringify(p.choices)) setParam(i, { ...p, choices }, 'choices');
                  }}
                  data-testid={`sweep-choices-${i}`}
                />
              ) : (
                <>
                  <NumberBox label={t('sweep.from')} value={p.min} onChange={(min) => setParam(i, { ...p, min }, 'min')} testId={`sweep-min-${i}`} />
                  <span className="muted">{t('sweep.to')}</span>
                  <NumberBox label={t('sweep.toLabel')} value={p.max} onChange={(max) => setParam(i, { ...p, max }, 'max')} testId={`sweep-max-${i}`} />
                </>
              )}
            </div>
          </div>
        );
      })}
      <button type="button" className="tool wide" onClick={addParam} data-testid="sweep-add-param">
        {t('sweep.addParam')}
      </button>
      <div className="sweep-settings">
        <label>
          <span>{t('sweep.method')}</span>
          <select value={sweep.method} onChange={(e) => set({ ...sweep, method: e.target.value as SweepSpec['method'] }, 'method')} data-testid="sweep-method">
            <option value="random">{t('sweep.random')}</option>
            <option value="grid">{t('sweep.grid')}</option>
          </select>
        </label>
        <label>
          <span>{t('sweep.trials')}</span>
          <NumberBox
            label={t('sweep.trials')}
            value={sweep.trials}
            onChange={(v) => Number.isInteger(v) && v >= 1 && v <= 1000 && set({ ...sweep, trials: v }, 'trials')}
            testId="sweep-trials"
          />
        </label>
        <label>
          <span>{t('sweep.seed')}</span>
          <NumberBox
            label={t('sweep.seed')}
            value={sweep.seed}
            onChange={(v) => Number.isInteger(v) && set({ ...sweep, seed: v }, 'seed')}
            testId="sweep-seed"
          />
        </label>
        <label title={t('sweep.halvingHelp')}>
          <span>{t('sweep.halving')}</span>
          <input
            type="checkbox"
            className="switch"
            checked={sweep.halving.enabled}
            onChange={(e) => set({ ...sweep, halving: { ...sweep.halving, enabled: e.target.checked } }, 'halving')}
            data-testid="sweep-halving"
          />
        </label>
        <label>
          <span>{t('sweep.epochs')}</span>
          <NumberBox
            label={t('sweep.epochs')}
            value={sweep.epochs ?? doc.training.epochs}
            onChange={(v) => Number.isInteger(v) && v >= 1 && set({ ...sweep, epochs: v }, 'epochs')}
            testId="sweep-epochs"
          />
        </label>
      </div>
      {issues.length > 0 && (
        <ul className="issues" data-testid="sweep-issues">
          {issues.map((issue, i) => (
            <li key={i} className="issue error">
              {sayWords(t, namedTarget(issue.words, options))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
