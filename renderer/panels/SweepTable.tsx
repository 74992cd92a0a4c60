/** A sweep's trials as a table, sorted by any column (best dev loss first, to begin with). */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SweepSnapshot, TrialResult } from '../../engine/api';
import { targetLabel, targetPath } from '../../engine/graph/sweep';
import { duration, percent } from '../ui/format';
import { shortNumber, sweepValue } from './tuneFormat';

type SortKey = 'trial' | 'bestDevLoss' | 'bestDevAcc' | 'epochs' | 'seconds' | 'state' | `param:${string}`;

/** Every state a trial can be in (checked by the compiler); each one's word is `tune.table.state.<state>`. */
const STATES: Record<TrialResult['state'], true> = { pending: true, running: true, done: true, pruned: true, stopped: true, failed: true };
export const TRIAL_STATES = Object.keys(STATES) as TrialResult['state'][];

function valueOf(t: TrialResult, key: SortKey): number | string {
  if (key.startsWith('param:')) {
    const v = t.config[key.slice(6)];
    return typeof v === 'number' ? v : String(v);
  }
  if (key === 'state') return t.state;
  const v = t[key as 'trial' | 'bestDevLoss' | 'bestDevAcc' | 'epochs' | 'seconds'];
  // Trials without a value go last whichever way the column is sorted.
  return v ?? Number.NaN;
}

export function SweepTable({ sweep }: { sweep: SweepSnapshot }) {
  const { t: say } = useTranslation();
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'bestDevLoss', dir: 1 });
  const params = sweep.sweep.params.map((p) => ({ path: targetPath(p.target), label: targetLabel(p.target) }));
  const rows = useMemo(() => {
    const sorted = [...sweep.trials];
    sorted.sort((a, b) => {
      const x = valueOf(a, sort.key);
      const y = valueOf(b, sort.key);
      const xNaN = typeof x === 'number' && Number.isNaN(x);
      const yNaN = typeof y === 'number' && Number.isNaN(y);
      if (xNaN || yNaN) return xNaN === yNaN ? a.trial - b.trial : xNaN ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c === 0 ? a.trial - b.trial : c * sort.dir;
    });
    return sorted;
  }, [sweep.trials, sort]);
  const head = (key: SortKey, label: string, title?: string) => (
    <th
      key={key}
      scope="col"
      aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
      onClick={() => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : 1 }))}
      title={title ?? say('tune.table.sortBy', { label })}
      data-sort={key}
    >
      {label}
      {sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
    </th>
  );
  return (
    <div className="sweep-table-wrap">
      <table className="sweep-table" data-testid="sweep-table" data-rows={sweep.trials.length}>
        <thead>
          <tr>
            {head('trial', '#', say('tune.table.sortByTrial'))}
            {params.map((p) => head(`param:${p.path}`, p.label, p.path))}
            {head('bestDevLoss', say('tune.table.bestDevLoss'))}
            {head('bestDevAcc', say('tune.table.devAcc'))}
            {head('epochs', say('tune.table.epochs'))}
            {head('seconds', say('tune.table.time'))}
            {head('state', say('tune.table.outcome'))}
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr
              key={t.trial}
              className={`${t.trial === sweep.best ? 'best ' : ''}state-${t.state}`}
              data-testid="sweep-row"
              data-trial={t.trial}
              data-state={t.state}
            >
              <td className="num">{t.trial}</td>
              {params.map((p) => (
                <td key={p.path} className="num mono">
                  {sweepValue(t.config[p.path])}
                </td>
              ))}
              <td className="num mono" data-testid="sweep-row-loss">
                {shortNumber(t.bestDevLoss, 4)}
              </td>
              <td className="num">{percent(t.bestDevAcc)}</td>
              <td className="num">
                {t.epochs}
                <span className="muted">/{sweep.epochs}</span>
              </td>
              <td className="num">{t.state === 'pending' ? '—' : duration(t.seconds)}</td>
              <td title={t.outcome ?? undefined}>
                {say(`tune.table.state.${t.state}`)}
                {t.stoppedEarly && t.stoppedAtRung !== null ? ` ${say('tune.table.atEpoch', { epoch: t.stoppedAtRung })}` : ''}
                {t.trial === sweep.best ? ` · ${say('tune.table.best')}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
