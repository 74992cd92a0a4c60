/**
 * One generated form field. It keeps what the user is typing as a draft; a value that passes the
 * field's schema is committed at once (through the undoable store), one that does not stays in
 * the field with the reason under it, and the document keeps its last good value.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { optionLabel, paramHelp, paramLabel, unitWord } from '../i18n/blockWords';
import { checkValue, formatValue, parseText, type ParamField } from './paramFields';

export interface FieldInputProps {
  field: ParamField;
  /** The value in the document (undefined = the block's default). */
  value: unknown;
  onCommit(value: unknown): void;
  testId?: string;
  /** The block the field belongs to, for its label and help in the user's language; without one, the field's own (already worded) label and help. */
  blockType?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function FieldInput({ field, value, onCommit, testId, blockType }: FieldInputProps) {
  const { t } = useTranslation();
  const id = useId();
  const help = blockType && field.help ? paramHelp(t, blockType, field.key, field.help) : field.help;
  const shown = value === undefined ? field.defaultValue : value;
  const [draft, setDraft] = useState(() => formatValue(shown));
  const [error, setError] = useState<string | null>(null);
  // The user unticked "auto" and has not typed a value yet.
  const [manual, setManual] = useState(false);

  // Undo, redo or another edit changed the value: show it, unless the draft already says it.
  useEffect(() => {
    setDraft((d) => (same(parseDraft(field, d), shown) ? d : formatValue(shown)));
    setError(null);
    setManual(false);
    // `shown` is compared by content: a new array with the same numbers is no change.
  }, [JSON.stringify(shown), field]);

  const tryCommit = (next: unknown) => {
    const check = checkValue(field, next);
    if (!check.ok) {
      setError(t(`inspector.check.${check.key}`, { ...check.params, defaultValue: check.message }));
      return;
    }
    setError(null);
    if (!same(next, shown)) onCommit(next);
  };

  const isAuto = field.allowsAuto && shown === 'auto' && !manual;
  const describedBy = `${id}-help ${id}-error`;
  let control: React.ReactNode;
  switch (field.edit.kind) {
    case 'boolean':
      control = (
        <input
          id={id}
          type="checkbox"
          className="switch"
          checked={shown === true}
          onChange={(e) => tryCommit(e.target.checked)}
          data-testid={testId}
          aria-describedby={describedBy}
        />
      );
      break;
    case 'choice': {
      // The option's value is the code itself (what a test or a person's script picks); its text is the label.
      const options = field.edit.options;
      const index = options.findIndex((o) => same(o, shown));
      control = (
        <select
          id={id}
          value={index < 0 ? '' : String(options[index])}
          onChange={(e) => tryCommit(options.find((o) => String(o) === e.target.value))}
          data-testid={testId}
          aria-describedby={describedBy}
        >
          {index < 0 && <option value="">{formatValue(shown) || '—'}</option>}
          {options.map((o) => (
            <option key={String(o)} value={String(o)}>
              {optionLabel(t, field.key, o)}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'number': {
      const { int, min, max } = field.edit;
      control = (
        <input
          id={id}
          type="number"
          inputMode={int ? 'numeric' : 'decimal'}
          min={min}
          max={max}
          step={int ? 1 : 'any'}
          value={isAuto ? '' : draft}
          placeholder={isAuto ? 'auto' : undefined}
          disabled={isAuto}
          aria-invalid={error !== null}
          onChange={(e) => {
            setDraft(e.target.value);
            tryCommit(e.target.value.trim() === '' ? undefined : Number(e.target.value));
          }}
          onBlur={() => error === null && setDraft(formatValue(shown))}
          data-testid={testId}
          aria-describedby={describedBy}
        />
      );
      break;
    }
    case 'string':
    case 'text': {
      const example = field.edit.kind === 'text' ? field.edit.example : '';
      control = (
        <input
          id={id}
          type="text"
          value={isAuto ? '' : draft}
          placeholder={isAuto ? 'auto' : example}
          disabled={isAuto}
          spellCheck={false}
          aria-invalid={error !== null}
          onChange={(e) => {
            setDraft(e.target.value);
            tryCommit(parseDraft(field, e.target.value));
          }}
          data-testid={testId}
          aria-describedby={describedBy}
        />
      );
      break;
    }
  }

  return (
    <div className={`field${error ? ' invalid' : ''}`} data-field={field.key}>
      <div className="field-row">
        <label htmlFor={id} title={help}>
          {blockType ? paramLabel(t, field.key) : field.label}
          {field.unit && <span className="unit"> ({unitWord(t, field.unit)})</span>}
        </label>
        <div className="field-control">
          {control}
          {field.allowsAuto && (
            <label className="auto-toggle" title={t('inspector.auto.title')}>
              <input
                type="checkbox"
                checked={isAuto}
                onChange={(e) => {
                  if (e.target.checked) {
                    setManual(false);
                    tryCommit('auto');
                    return;
                  }
                  const guess = parseDraft(field, draft);
                  if (guess !== undefined && guess !== 'auto') return tryCommit(guess);
                  setDraft('');
                  setManual(true);
                  setError(t('inspector.auto.typeOrTick'));
                }}
                data-testid={testId ? `${testId}-auto` : undefined}
              />
              {t('inspector.auto.label')}
            </label>
          )}
        </div>
      </div>
      {error && (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
      {help && (
        <div className="field-help" id={`${id}-help`}>
          {help}
        </div>
      )}
    </div>
  );
}

function parseDraft(field: ParamField, text: string): unknown {
  if (field.edit.kind === 'string') return text === '' && field.optional ? undefined : text;
  if (field.edit.kind === 'number') return text.trim() === '' ? undefined : Number(text);
  return parseText(text);
}
