import { Trans, useTranslation } from 'react-i18next';
import type { DataSummary } from '../../engine/api';
import { compact } from '../ui/format';

const pct = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;

/** How the file was read: its encoding, and how sure the choice is. */
export function EncodingLine({ e }: { e: NonNullable<DataSummary['fileEncoding']> }) {
  const { t } = useTranslation();
  const how =
    e.how === 'chosen' || e.how === 'bom' || e.how === 'ascii' || e.how === 'utf-8'
      ? t(`data.encoding.how.${e.how}`)
      : t(e.certainty === 'likely' ? 'data.encoding.how.likely' : 'data.encoding.how.guess', { confidence: e.confidence.toFixed(2) });
  return (
    <p className={`small encoding-line ${e.certainty}`} data-testid="data-encoding-detected">
      <Trans i18nKey="data.encoding.readAs" values={{ label: e.label }} components={{ strong: <strong /> }} /> <span className="muted">· {how}</span>
      {e.certainty === 'guess' && e.alternatives.length > 0 && (
        <span className="muted"> — {t('data.encoding.tryOthers', { alternatives: e.alternatives.join(t('data.encoding.or')) })}</span>
      )}
    </p>
  );
}

/** Rows per class in each split, as stacked bars (train, dev, test). */
function ClassSplitChart({ summary }: { summary: DataSummary }) {
  const per = summary.splitClassCounts;
  const max = Math.max(1, ...summary.classCounts);
  const { t } = useTranslation();
  return (
    <>
      <div className="split-legend small muted">
        <span className="swatch train" /> {t('data.split.train')} <span className="swatch dev" /> {t('data.split.dev')} <span className="swatch test" />{' '}
        {t('data.split.test')}
      </div>
      <ul className="class-bars split-bars" data-testid="class-split-chart">
        {summary.classes.map((name, i) => {
          const parts = per ? [per.train[i] ?? 0, per.dev[i] ?? 0, per.test[i] ?? 0] : [summary.classCounts[i] ?? 0, 0, 0];
          return (
            <li key={name} title={t('data.stats.classSplit', { name, train: parts[0], dev: parts[1], test: parts[2] })}>
              <span className="class-name">{name}</span>
              <span className="bar stacked">
                {(['train', 'dev', 'test'] as const).map((split, k) => (
                  <span key={split} className={`fill ${split}`} style={{ width: `${(parts[k]! / max) * 100}%` }} />
                ))}
              </span>
              <span className="num small">{summary.classCounts[i] ?? 0}</span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The train examples' lengths as a histogram, with the chosen maxLength drawn across it. */
function LengthHistogram({ lengths }: { lengths: NonNullable<DataSummary['lengths']> }) {
  const W = 280;
  const H = 90;
  const bins = lengths.bins;
  const from = bins[0]?.from ?? 0;
  // Room for the maxLength line when it is past the longest example.
  const to = Math.max(bins.at(-1)?.to ?? 1, lengths.maxLength + 1);
  const span = Math.max(1, to - from);
  const most = Math.max(1, ...bins.map((b) => b.count));
  const x = (v: number) => ((v - from) / span) * W;
  const cut = Math.min(Math.max(lengths.maxLength, from), to);
  const { t } = useTranslation();
  return (
    <figure className="length-histogram" data-testid="length-histogram" data-max-length={lengths.maxLength}>
      <svg viewBox={`0 0 ${W} ${H + 14}`} width="100%" role="img" aria-label={t('data.lengths.label', { from, to: to - 1, max: lengths.maxLength })}>
        {bins.map((b, i) => {
          const h = (b.count / most) * H;
          return (
            <rect
              key={i}
              className={b.from >= lengths.maxLength ? 'bin over' : 'bin'}
              x={x(b.from) + 0.5}
              y={H - h}
              width={Math.max(1, x(b.to) - x(b.from) - 1)}
              height={h}
            >
              <title>{t('data.lengths.bin', { range: `${b.from}${b.to - 1 > b.from ? `–${b.to - 1}` : ''}`, count: b.count })}</title>
            </rect>
          );
        })}
        <line className="max-length" x1={x(cut)} x2={x(cut)} y1={0} y2={H} />
        <text className="axis" x={0} y={H + 12}>
          {from}
        </text>
        <text className="axis" x={x(lengths.longest + 1)} y={H + 12} textAnchor="end">
          {lengths.longest}
        </text>
        <text className="axis max-label" x={Math.min(W - 4, x(cut) + 3)} y={10} textAnchor={x(cut) > W - 80 ? 'end' : 'start'}>
          {t('data.lengths.max', { max: lengths.maxLength })}
        </text>
      </svg>
      <figcaption className="small muted" data-testid="data-truncated">
        {t('data.lengths.caption', {
          mean: lengths.mean.toFixed(1),
          p95: lengths.p95,
          longest: lengths.longest,
          share: pct(lengths.truncatedShare),
          max: lengths.maxLength,
        })}
      </figcaption>
    </figure>
  );
}

/** What the engine found in the data: counts, classes per split, lengths, unknowns, and where it comes from. */
export function DataStats({ summary }: { summary: DataSummary }) {
  const { t } = useTranslation();
  const images = summary.images;
  return (
    <div className="data-stats" data-testid="data-stats">
      <div className="totals four">
        <div>
          <div className="total-value" data-testid="data-rows">
            {compact(summary.rows)}
          </div>
          <div className="muted small">{images ? t('images.stats.pictures') : t('data.stats.rows')}</div>
        </div>
        <div>
          <div className="total-value" data-testid="data-classes">
            {summary.classes.length}
          </div>
          <div className="muted small">{t('data.stats.classes')}</div>
        </div>
        {images ? (
          <>
            <div>
              <div className="total-value" data-testid="data-image-size">
                {images.height}×{images.width}
              </div>
              <div className="muted small">{t('images.stats.size')}</div>
            </div>
            <div>
              <div className="total-value" data-testid="data-image-channels">
                {images.channels}
              </div>
              <div className="muted small">{t('images.stats.channels')}</div>
            </div>
          </>
        ) : (
          <>
            <div>
              <div className="total-value" data-testid="data-vocab">
                {compact(summary.vocabSize)}
              </div>
              <div className="muted small">{t('data.stats.vocab')}</div>
            </div>
            <div>
              <div className="total-value" data-testid="data-unk">
                {summary.devUnkShare === undefined || summary.devUnkShare === null ? '—' : pct(summary.devUnkShare)}
              </div>
              <div className="muted small">{t('data.stats.unk')}</div>
            </div>
          </>
        )}
      </div>
      {(summary.glove || summary.gloveError) && <GloveLine summary={summary} />}
      <dl className="facts">
        <dt>{t('data.stats.split')}</dt>
        <dd>
          {t('data.stats.splitCounts', { train: compact(summary.split.train), dev: compact(summary.split.dev), test: compact(summary.split.test) })}
          {summary.splitColumn ? ` ${t('data.stats.byColumn', { column: summary.splitColumn })}` : ''}
        </dd>
        <dt>{t('data.stats.example')}</dt>
        <dd className="mono" data-testid="data-input-shape">
          [{summary.inputShape.join(', ')}] {summary.inputDtype}
        </dd>
        {images && (
          <>
            <dt>{t('images.stats.scaling')}</dt>
            <dd data-testid="data-image-scaling">
              {images.scale === 'standardize'
                ? t('images.stats.standardized', { mean: images.mean.map((m) => m.toFixed(3)).join(', '), std: images.std.map((s) => s.toFixed(3)).join(', ') })
                : t('images.stats.unit')}
            </dd>
          </>
        )}
        {summary.columns && (
          <>
            <dt>{t('data.stats.columns')}</dt>
            <dd>
              {t('data.stats.columnsUsed', { text: summary.columns.text.map((c) => `"${c}"`).join(' + '), label: summary.columns.label })}
              <span className="muted">
                {' '}
                {t('data.stats.columnsOf', { count: summary.columns.all.length })}
                {summary.columns.hasHeader ? '' : ` ${t('data.stats.noHeader')}`}
              </span>
            </dd>
          </>
        )}
      </dl>
      <h4 className="section">{t('data.stats.classesPerSplit')}</h4>
      <ClassSplitChart summary={summary} />
      {summary.lengths && (
        <>
          <h4 className="section">{t('data.stats.length')}</h4>
          <LengthHistogram lengths={summary.lengths} />
        </>
      )}
      {summary.license && (
        <p className="small muted data-license" data-testid="data-license">
          {summary.license.title}. {summary.license.license}. {t('data.stats.terms')} <span className="mono">{summary.license.file}</span>.
        </p>
      )}
    </div>
  );
}

/** "GloVe: 71% of the vocabulary, 93% of tokens found": how well the Embedding's vectors fit this data. */
function GloveLine({ summary }: { summary: DataSummary }) {
  const { t } = useTranslation();
  const g = summary.glove;
  if (!g)
    return (
      <p className="small muted" data-testid="glove-coverage">
        {t('datatab.glove.unreadable', { reason: summary.gloveError })}
      </p>
    );
  return (
    <p className="small" data-testid="glove-coverage" title={t('datatab.glove.detail', { found: g.wordsFound, words: g.words, dim: g.dim, file: g.file })}>
      {t('datatab.glove.coverage', { vocabulary: pct(g.vocabularyShare), tokens: pct(g.tokenShare) })}
    </p>
  );
}
