import { useTranslation } from 'react-i18next';
import type { DataSummary } from '../../engine/api';
import { t as translate } from '../i18n';

type Row = NonNullable<DataSummary['preview']>[number];

/** The most tokens a preview row shows before it says how many more there are. */
const SHOWN_TOKENS = 40;

/** How a token reads on screen: spaces and line breaks made visible. */
function shown(token: string): string {
  return token === ' ' ? '␣' : token.replace(/\n/g, '↵').replace(/\t/g, '⇥');
}

/** The encoded tensor's non-zero cells, as "(t, id) = v". */
function cellsText(row: Row): string {
  const cells = row.cells.map((c) => `(${c.at.join(', ')})${c.value === 1 ? '' : ` = ${c.value}`}`);
  return `${cells.join(' ')}${row.nonZero > row.cells.length ? ` … ${translate('data.tokens.more', { count: row.nonZero - row.cells.length })}` : ''}`;
}

/**
 * A few examples as the model gets them: the text, its tokens (unknown ones marked), their ids,
 * and the tensor's shape and non-zero cells. The engine built them with the functions training
 * encodes with, so this is exactly what the model sees.
 */
export function TokenPreview({ rows }: { rows: readonly Row[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  return (
    <ol className="token-preview" data-testid="token-preview">
      {rows.map((row, r) => {
        const more = row.tokens.length - SHOWN_TOKENS;
        return (
          <li key={r} className="token-row" data-testid="token-row">
            <div className="token-text">
              <span className="mono">{row.texts.join(' │ ')}</span>
              <span className="muted small">
                {' '}
                → {row.label} · {t(`data.split.${row.split}`, { defaultValue: row.split })}
              </span>
            </div>
            <div className="token-chips" aria-label={t('data.tokens.label')}>
              {row.tokens.slice(0, SHOWN_TOKENS).map((token, i) => {
                const unknown = row.ids[i] === 1 && token !== '<unk>';
                const special = /^<(pad|unk|bos|eos|sep)>$/.test(token);
                return (
                  <span
                    key={i}
                    className={`token${unknown ? ' unk' : ''}${special ? ' special' : ''}`}
                    title={unknown ? t('data.tokens.unknown', { token }) : t('data.tokens.id', { id: row.ids[i] })}
                    data-testid={unknown ? 'token-unk' : 'token'}
                  >
                    <span className="token-form">{shown(token)}</span>
                    <span className="token-id">{row.ids[i]}</span>
                  </span>
                );
              })}
              {more > 0 && <span className="muted small">{t('data.tokens.moreTokens', { count: more })}</span>}
            </div>
            <div className="token-tensor small">
              <span className="mono">[{row.shape.join(', ')}]</span>
              <span className="muted">
                {' '}
                {t('data.tokens.nonZero', { count: row.nonZero })}
                {row.cut ? ` · ${t('data.tokens.cut', { count: row.cut })}` : ''}:
              </span>{' '}
              <span className="mono cells">{cellsText(row)}</span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
