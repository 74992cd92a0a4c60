import { memo } from 'react';
import { useTranslation } from 'react-i18next';

const CELL = 18;
const GAP = 1;

/** Fill of one cell: the share of its true class (row) it holds; right answers green, confusions red. */
function cellFill(share: number, diagonal: boolean): string {
  if (share <= 0) return 'var(--cm-empty)';
  const a = (0.18 + 0.82 * share).toFixed(3);
  return diagonal ? `rgba(63, 207, 142, ${a})` : `rgba(255, 106, 84, ${a})`;
}

/**
 * The confusion matrix as a heatmap with the class names: rows are true classes, columns the
 * predicted ones; each cell is shaded by the share of its row (its class's recall on the
 * diagonal), so small classes read as clearly as big ones. Counts are written in the cells and
 * every cell says what it is on hover.
 */
export const ConfusionMatrix = memo(function ConfusionMatrix({ labels, matrix }: { labels: readonly string[]; matrix: readonly (readonly number[])[] }) {
  const { t } = useTranslation();
  const k = labels.length;
  const longest = labels.reduce((m, l) => Math.max(m, l.length), 0);
  const labelSpace = Math.min(150, 10 + longest * 7);
  const caption = 14;
  const left = labelSpace + caption;
  const top = labelSpace + caption;
  const size = k * CELL;
  const width = left + size + 2;
  const height = top + size + 2;
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  return (
    <svg className="confusion-svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('training.cm.aria', { count: k })}>
      <text className="cm-caption" x={left + size / 2} y={10} textAnchor="middle">
        {t('training.cm.predicted')}
      </text>
      <text className="cm-caption" transform={`translate(10, ${top + size / 2}) rotate(-90)`} textAnchor="middle">
        {t('training.cm.true')}
      </text>
      {labels.map((label, p) => (
        <text key={`c${p}`} className="cm-label" transform={`translate(${left + p * CELL + CELL / 2 + 3.5}, ${top - 4}) rotate(-90)`}>
          {label}
        </text>
      ))}
      {labels.map((label, r) => (
        <text key={`r${r}`} className="cm-label" x={left - 4} y={top + r * CELL + CELL / 2 + 3.5} textAnchor="end">
          {label}
        </text>
      ))}
      {matrix.map((row, r) =>
        row.map((count, p) => {
          const share = rowTotals[r]! > 0 ? count / rowTotals[r]! : 0;
          const x = left + p * CELL;
          const y = top + r * CELL;
          return (
            <g key={`${r}-${p}`} data-true={labels[r]} data-predicted={labels[p]} data-count={count}>
              <rect
                x={x}
                y={y}
                width={CELL - GAP}
                height={CELL - GAP}
                rx={2}
                fill={cellFill(share, r === p)}
                className={r === p ? 'cm-cell diagonal' : 'cm-cell'}
              >
                <title>{t('training.cm.cell', { actual: labels[r], predicted: labels[p], count, total: rowTotals[r], share: (share * 100).toFixed(1) })}</title>
              </rect>
              {count > 0 && (
                <text
                  className="cm-count"
                  x={x + (CELL - GAP) / 2}
                  y={y + CELL / 2 + 3}
                  textAnchor="middle"
                  fill={share > 0.55 ? 'var(--cm-ink-dark)' : 'var(--cm-ink-light)'}
                >
                  {count > 999 ? `${Math.round(count / 100) / 10}k` : count}
                </text>
              )}
            </g>
          );
        }),
      )}
    </svg>
  );
});
