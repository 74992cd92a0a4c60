import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import { useTranslation } from 'react-i18next';
import type { DataProgress } from '../../engine/api';
import {
  BUILTIN_DATASET_IDS,
  BUILTIN_DATASETS,
  DataSchema,
  FILE_ENCODING_LABELS,
  FILE_ENCODINGS,
  textColumnsOf,
  type BuiltinDatasetId,
  type DataSpec,
  type FileEncodingName,
} from '../../engine/graph/document';
import { FieldInput } from '../inspector/FieldInput';
import { describeField } from '../inspector/paramFields';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { refusedFiles, useConsentStore } from '../state/consentStore';
import { useDocumentStore } from '../state/documentStore';
import { patchData, removeData } from '../state/edits';
import { DataStats, EncodingLine } from './DataStats';
import { TokenPreview } from './TokenPreview';

type Data = DataSpec;
/** The encoding settings, in the order the tab shows them; some only for a tokenizer or encoding. */
const EDITABLE = ['tokenizer', 'punctuation', 'lowercase', 'encoding', 'bagValue', 'truncate', 'bos', 'eos', 'minCount', 'maxVocab'] as const;
const HELP: Record<string, string> = {
  tokenizer: 'char: one token per character (surnames); word: words, numbers and (with punctuation) punctuation marks.',
  punctuation: 'Word tokenizer: punctuation marks and symbols are tokens, 3.5 stays one number, each Chinese character is a word; off: words and numbers only.',
  encoding:
    'onehot: float32 [length, vocabulary] for convolutions; index: int32 token ids [length] for an Embedding; bag: float32 [vocabulary], each token’s count or presence, for an MLP.',
  bagValue: 'bag: how often each token occurs (count), or 1 where it occurs (presence).',
  lowercase: 'Lower-case the text before it is split into tokens.',
  truncate: 'Which end of a text longer than the length is cut off.',
  bos: 'Start every text with a <bos> token.',
  eos: 'End every text with an <eos> token.',
  minCount: 'Tokens seen fewer times than this in the train split become <unk>.',
  maxVocab: 'Most vocabulary entries, <pad> and <unk> included; the rarest tokens go first. Empty: all.',
};
const LABELS: Record<string, string> = {
  punctuation: 'Punctuation tokens',
  bagValue: 'Bag values',
  bos: 'Start token <bos>',
  eos: 'End token <eos>',
  maxVocab: 'Max vocabulary',
};
/** Fields that only mean something for some settings. */
const SHOWN_WHEN: Partial<Record<(typeof EDITABLE)[number], (d: Data) => boolean>> = {
  punctuation: (d) => d.tokenizer === 'word',
  bagValue: (d) => d.encoding === 'bag',
};

/**
 * Where the examples come from: nothing yet, a built-in dataset, or a CSV/TSV file the user names
 * (the engine reads it only through the host; a path typed or picked here counts as accepted, one
 * that came in a document file is asked about first).
 */
function SourceFields({
  data,
  columns,
  onChange,
  onRemove,
}: {
  data: Data | undefined;
  columns: readonly string[];
  onChange(patch: Partial<Data>, key: string): void;
  onRemove(): void;
}) {
  const { host } = useHost();
  const source = data?.source as { builtin?: string; path?: string } | undefined;
  const choosePath = (next: string, key: string) => {
    useConsentStore.getState().typedPath('data', next);
    onChange({ source: { path: next } }, key);
  };
  const browse = async () => {
    try {
      const picked = await host.pickFile?.({ purpose: 'data' });
      if (picked) choosePath(picked.path, 'path');
    } catch (error) {
      useAppStore.getState().notify('error', `Could not choose a file: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const [path, setPath] = useState(source?.path ?? '');
  useEffect(() => setPath(source?.path ?? ''), [source?.path]);
  const builtin = source?.builtin as BuiltinDatasetId | undefined;
  const isFile = data !== undefined && builtin === undefined;
  const choose = (value: string) => {
    if (value === 'none') return onRemove();
    if (value === 'file') return choosePath(path.trim() || 'data.csv', 'source');
    const id = value as BuiltinDatasetId;
    const d = BUILTIN_DATASETS[id];
    onChange({ source: { builtin: id }, text: typeof d.text === 'string' ? d.text : [...d.text], label: d.label, tokenizer: d.tokenizer }, 'source');
  };
  return (
    <div className="fields">
      <div className="field">
        <div className="field-row">
          <label htmlFor="data-source">Source</label>
          <div className="field-control">
            <select
              id="data-source"
              className="wide-input"
              value={!data ? 'none' : isFile ? 'file' : builtin}
              onChange={(e) => choose(e.target.value)}
              data-testid="data-source"
            >
              <option value="none">No data yet</option>
              {BUILTIN_DATASET_IDS.map((id) => (
                <option key={id} value={id}>
                  Built-in: {BUILTIN_DATASETS[id].title}
                </option>
              ))}
              <option value="file">A CSV/TSV file</option>
            </select>
          </div>
        </div>
        <div className="field-help" data-testid="data-license-line">
          {!data
            ? 'The graph is checked on its own until it has data: written shapes are checked, "auto" ones wait for data. Choose data to train.'
            : builtin
              ? `${BUILTIN_DATASETS[builtin].title}. License: ${BUILTIN_DATASETS[builtin].license}.`
              : 'Your own file, with a text column (or several) and a label column.'}
        </div>
      </div>
      {isFile && (
        <>
          <div className="field">
            <div className="field-row">
              <label htmlFor="data-path">File</label>
              <div className="field-control path-row">
                <input
                  id="data-path"
                  type="text"
                  className="wide-input"
                  value={path}
                  spellCheck={false}
                  onChange={(e) => setPath(e.target.value)}
                  onBlur={() => path.trim() && path.trim() !== source?.path && choosePath(path.trim(), 'path')}
                  onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
                  data-testid="data-path"
                />
                {host.pickFile && (
                  <button type="button" onClick={() => void browse()} data-testid="data-browse">
                    Browse…
                  </button>
                )}
              </div>
            </div>
            <div className="field-help">
              A path on this machine, absolute or relative to{' '}
              {host.kind === 'desktop' ? 'the document’s folder (or where Modelwright runs, before it is saved)' : 'where the Modelwright web host runs'}.
            </div>
          </div>
          <FileEncodingField value={data.fileEncoding} onCommit={(fileEncoding) => onChange({ fileEncoding }, 'fileEncoding')} />
        </>
      )}
      {data && (
        <>
          <datalist id="data-columns">
            {columns.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <ColumnField
            id="data-text"
            label="Text columns"
            value={textColumnsOf(data).join(' + ')}
            help="One column, or several joined with “+” (their tokens are joined with a <sep> token)."
            onCommit={(text) => {
              const parts = text.split(/\s*\+\s*/).filter(Boolean);
              onChange({ text: parts.length === 1 ? parts[0]! : parts }, 'text');
            }}
          />
          <ColumnField id="data-label" label="Label column" value={data.label} onCommit={(label) => onChange({ label }, 'label')} />
          <SplitColumnField split={data.split} onCommit={(split) => onChange({ split }, 'split')} />
        </>
      )}
    </div>
  );
}

/** The file's text encoding: detected, or one the user chooses when the text reads wrong. */
function FileEncodingField({ value, onCommit }: { value: FileEncodingName; onCommit(value: FileEncodingName): void }) {
  return (
    <div className="field">
      <div className="field-row">
        <label htmlFor="data-file-encoding">Text encoding</label>
        <div className="field-control">
          <select
            id="data-file-encoding"
            className="wide-input"
            value={value}
            onChange={(e) => onCommit(e.target.value as FileEncodingName)}
            data-testid="data-file-encoding"
          >
            {FILE_ENCODINGS.map((e) => (
              <option key={e} value={e}>
                {FILE_ENCODING_LABELS[e]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field-help">
        Detect reads a byte-order mark, UTF-8, and the encodings spreadsheets save in (Korean Excel writes CP949); choose one if the text reads wrong.
      </div>
    </div>
  );
}

/**
 * The column that puts each row in train, dev or test (the course's surname file has one);
 * empty means the seeded, stratified ratios split the rows.
 */
function SplitColumnField({ split, onCommit }: { split: Data['split']; onCommit(split: Data['split']): void }) {
  const value = split.column ?? '';
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    const next = draft.trim();
    if (next === value) return setDraft(value);
    const { column: _old, ...ratios } = split;
    onCommit(next ? { ...ratios, column: next } : ratios);
  };
  const [train, dev, test] = split.ratios.map((r) => Math.round(r * 100));
  return (
    <div className="field">
      <div className="field-row">
        <label htmlFor="data-split-column">Split column</label>
        <div className="field-control">
          <input
            id="data-split-column"
            type="text"
            value={draft}
            placeholder="none: split by ratios"
            spellCheck={false}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
            data-testid="data-split-column"
          />
        </div>
      </div>
      <div className="field-help">
        {value
          ? `Each row goes where its "${value}" column says: train; dev, val, valid or validation; test (any case).`
          : `Empty: ${train}% train, ${dev}% dev, ${test}% test, drawn with seed ${split.seed}${split.stratify ? ', each class keeping its share' : ''}. Name a column (train / dev / test values) to split as the file says.`}
      </div>
    </div>
  );
}

/** A column name typed as a draft and committed, trimmed, when it loses focus (or on Enter). */
function ColumnField({ id, label, value, help, onCommit }: { id: string; label: string; value: string; help?: string; onCommit(name: string): void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <div className="field">
      <div className="field-row">
        <label htmlFor={id}>{label}</label>
        <div className="field-control">
          <input
            id={id}
            type="text"
            value={draft}
            list="data-columns"
            spellCheck={false}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => draft.trim() && draft !== value && onCommit(draft.trim())}
            onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
            data-testid={id}
          />
        </div>
      </div>
      {help && <div className="field-help">{help}</div>}
    </div>
  );
}

type MaxLength = Data['maxLength'];

/** The length examples are cut or padded to: the longest in train, a percentile of train, or a number. */
function MaxLengthField({ value, onCommit }: { value: MaxLength; onCommit(value: MaxLength): void }) {
  const mode = value === 'auto' ? 'auto' : typeof value === 'number' ? 'fixed' : 'percentile';
  const number = value === 'auto' ? '' : typeof value === 'number' ? String(value) : String(value.percentile);
  const [draft, setDraft] = useState(number);
  useEffect(() => setDraft(number), [number]);
  const commitNumber = () => {
    const n = Number(draft);
    if (mode === 'fixed' && Number.isInteger(n) && n >= 1 && n <= 4096) onCommit(n);
    else if (mode === 'percentile' && n >= 1 && n <= 100) onCommit({ percentile: n });
    else setDraft(number);
  };
  return (
    <div className="field">
      <div className="field-row">
        <label htmlFor="data-max-length-mode">Length</label>
        <div className="field-control path-row">
          <select
            id="data-max-length-mode"
            value={mode}
            onChange={(e) => onCommit(e.target.value === 'auto' ? 'auto' : e.target.value === 'fixed' ? 64 : { percentile: 95 })}
            data-testid="data-maxLength-mode"
          >
            <option value="auto">longest</option>
            <option value="percentile">percentile</option>
            <option value="fixed">fixed</option>
          </select>
          {mode !== 'auto' && (
            <input
              type="number"
              className="narrow-input"
              aria-label={mode === 'fixed' ? 'tokens' : 'percentile'}
              value={draft}
              min={1}
              max={mode === 'fixed' ? 4096 : 100}
              onChange={(e) => setDraft(e.target.value)}
              onBlur={commitNumber}
              onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
              data-testid="data-maxLength"
            />
          )}
        </div>
      </div>
      <div className="field-help">
        Tokens per example, specials included: the longest in train (capped at 512), the length a percentile of train fits in (95 cuts the few longest), or a
        fixed number.
      </div>
    </div>
  );
}

/** Why there is no summary: the data file waits for the user's consent. */
function ConsentNote() {
  const refused = refusedFiles(useConsentStore((s) => s.files)).filter((f) => f.role === 'data');
  return (
    <div className="consent-note small" role="status" data-testid="data-needs-consent">
      <p>
        No summary yet: this document reads {refused[0] ? <span className="mono">{refused[0].resolvedPath}</span> : 'a data file'}, which you have not allowed
        Modelwright to read.
      </p>
      <button type="button" onClick={() => useConsentStore.getState().reopen()} data-testid="data-review-files">
        Review the file…
      </button>
    </div>
  );
}

/** The data the document trains on: where it comes from, what the engine found in it, and how it is encoded. */
export function DataPanel() {
  const data = useDocumentStore((s) => s.history?.present.data);
  const hasDocument = useDocumentStore((s) => s.history !== null && s.history !== undefined);
  const edit = useDocumentStore((s) => s.edit);
  const state = useAppStore((s) => s.data);
  const fields = useMemo(
    () =>
      EDITABLE.map((key) => {
        const f = describeField(key, DataSchema.shape[key] as unknown as z.ZodType);
        return { ...f, label: LABELS[key] ?? f.label, help: HELP[key] ?? f.help };
      }),
    [],
  );
  if (!hasDocument) return null;

  const summary = state.status === 'ok' ? state.summary : null;
  const patch = (p: Partial<Data>, key: string) => edit((doc) => patchData(doc, p), `data:${key}`);
  return (
    <div className="inspector-body" data-testid="data-panel">
      <SourceFields data={data} columns={summary?.columns?.all ?? []} onChange={patch} onRemove={() => edit(removeData, 'data:source')} />
      {data && (
        <>
          {state.status === 'loading' && <DataLoading progress={state.progress} />}
          {state.status === 'needs-consent' && <ConsentNote />}
          {state.status === 'error' && (
            <div className="issue block-error" role="alert" data-testid="data-error">
              The data could not be read: {state.message}
            </div>
          )}
          {summary?.fileEncoding && <EncodingLine e={summary.fileEncoding} />}
          {summary && <DataStats summary={summary} />}
          {summary?.preview && summary.preview.length > 0 && (
            <>
              <h4 className="section">Token preview</h4>
              <TokenPreview rows={summary.preview} />
            </>
          )}
          <h4 className="section">Encoding</h4>
          {fields.map((field) =>
            (SHOWN_WHEN[field.key as (typeof EDITABLE)[number]]?.(data) ?? true) ? (
              <FieldInput
                key={field.key}
                field={field}
                value={data[field.key as keyof Data]}
                testId={`data-${field.key}`}
                onCommit={(value) => patch({ [field.key]: value }, field.key)}
              />
            ) : null,
          )}
          <MaxLengthField value={data.maxLength} onCommit={(maxLength) => patch({ maxLength }, 'maxLength')} />
        </>
      )}
    </div>
  );
}

/** "Reading the data… 42% · 51,200 rows": a bar that fills as the file is read, then counts and encodes. */
function DataLoading({ progress }: { progress: DataProgress | undefined }) {
  const { t } = useTranslation();
  const share = progress?.phase === 'reading' && progress.totalBytes ? Math.min(1, progress.bytes / progress.totalBytes) : null;
  const words = !progress
    ? t('datatab.loading.start')
    : progress.phase === 'encoding'
      ? t('datatab.loading.encoding', { rows: progress.rows.toLocaleString() })
      : share !== null
        ? t('datatab.loading.reading', { percent: Math.round(share * 100), rows: progress.rows.toLocaleString() })
        : t('datatab.loading.readingRows', { rows: progress.rows.toLocaleString() });
  return (
    <div className="data-loading" role="status" data-testid="data-loading">
      <span className="muted small" data-testid="data-progress-text">
        {words}
      </span>
      {share !== null ? (
        <span
          className="progress-bar"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(share * 100)}
          data-testid="data-progress"
        >
          <span className="progress-fill" style={{ width: `${share * 100}%`, display: 'block' }} />
        </span>
      ) : (
        <span className="progress indeterminate">
          <span className="fill" />
        </span>
      )}
    </div>
  );
}
