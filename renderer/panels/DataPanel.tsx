import { useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { messageText } from '../i18n/engineErrors';
import type { z } from 'zod';
import type { DataProgress } from '../../engine/api';
import {
  BUILTIN_DATASET_IDS,
  BUILTIN_DATASETS,
  BUILTIN_IMAGE_DATASET_IDS,
  BUILTIN_IMAGE_DATASETS,
  DataSchema,
  ImageSchema,
  isImageData,
  FILE_ENCODING_LABELS,
  FILE_ENCODINGS,
  textColumnsOf,
  type BuiltinDatasetId,
  type BuiltinImageDatasetId,
  type DataSpec,
  type FileEncodingName,
} from '../../engine/graph/document';
import { FieldInput } from '../inspector/FieldInput';
import { datasetLicense, datasetTitle } from '../i18n/datasetWords';
import { describeField } from '../inspector/paramFields';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { refusedFiles, useConsentStore } from '../state/consentStore';
import { useDocumentStore } from '../state/documentStore';
import { patchData, removeData } from '../state/edits';
import { DataStats, EncodingLine } from './DataStats';
import { AugmentPreview, ImageGrid } from './ImageGrid';
import { ImageSettings } from './ImageSettings';
import { TokenPreview } from './TokenPreview';
import { FieldRow } from '../ui/FieldRow';

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
  const { t } = useTranslation();
  const source = data?.source as { builtin?: string; path?: string; folder?: string } | undefined;
  const images = data !== undefined && isImageData(data);
  const isFolder = source?.folder !== undefined;
  const imageCsv = images && source?.path !== undefined;
  const choosePath = (next: string, key: string) => {
    useConsentStore.getState().typedPath('data', next);
    onChange(isFolder ? { source: { folder: next } } : { source: { path: next } }, key);
  };
  const browse = async () => {
    try {
      const picked = await host.pickFile?.({ purpose: 'data' });
      if (picked) choosePath(picked.path, 'path');
    } catch (error) {
      useAppStore.getState().notify('error', t('data.source.pickFailed', { reason: error instanceof Error ? error.message : String(error) }));
    }
  };
  const shownPath = source?.path ?? source?.folder ?? '';
  const [path, setPath] = useState(shownPath);
  useEffect(() => setPath(shownPath), [shownPath]);
  const builtin = source?.builtin as BuiltinDatasetId | BuiltinImageDatasetId | undefined;
  const isFile = data !== undefined && builtin === undefined;
  const imageDefaults = (size: readonly [number, number], color: 'grayscale' | 'rgb') => ImageSchema.parse({ size: [...size], color });
  const choose = (value: string) => {
    if (value === 'none') return onRemove();
    const typed = path.trim();
    // Choosing a kind of source starts from that kind's settings: texts drop `image`, pictures set it.
    if (value === 'file') {
      useConsentStore.getState().typedPath('data', typed || 'data.csv');
      return onChange({ source: { path: typed || 'data.csv' }, image: undefined }, 'source');
    }
    if (value === 'image-csv') {
      useConsentStore.getState().typedPath('data', typed || 'images.csv');
      return onChange({ source: { path: typed || 'images.csv' }, label: 'label', image: { ...imageDefaults([64, 64], 'rgb'), pathColumn: 'path' } }, 'source');
    }
    if (value === 'folder') {
      useConsentStore.getState().typedPath('data', typed || 'images');
      return onChange({ source: { folder: typed || 'images' }, image: imageDefaults([64, 64], 'rgb') }, 'source');
    }
    if (value in BUILTIN_IMAGE_DATASETS) {
      const d = BUILTIN_IMAGE_DATASETS[value as BuiltinImageDatasetId];
      return onChange(
        {
          source: { builtin: value as BuiltinImageDatasetId },
          image: imageDefaults(d.size, d.color),
          split: { ratios: [0.8, 0, 0.2], seed: data?.split.seed ?? 1337, stratify: true },
        },
        'source',
      );
    }
    const id = value as BuiltinDatasetId;
    const d = BUILTIN_DATASETS[id];
    onChange(
      { source: { builtin: id }, text: typeof d.text === 'string' ? d.text : [...d.text], label: d.label, tokenizer: d.tokenizer, image: undefined },
      'source',
    );
  };
  const sourceValue = !data ? 'none' : builtin ? builtin : isFolder ? 'folder' : imageCsv ? 'image-csv' : 'file';
  const builtinLicense = builtin ? { title: datasetTitle(t, builtin), license: datasetLicense(t, builtin) } : undefined;
  return (
    <div className="fields">
      <div className="field">
        <div className="field-row">
          <label htmlFor="data-source">{t('data.source.label')}</label>
          <div className="field-control">
            <select id="data-source" className="wide-input" value={sourceValue} onChange={(e) => choose(e.target.value)} data-testid="data-source">
              <option value="none">{t('data.source.none')}</option>
              {BUILTIN_DATASET_IDS.map((id) => (
                <option key={id} value={id}>
                  {t('data.source.builtin', { title: datasetTitle(t, id) })}
                </option>
              ))}
              {BUILTIN_IMAGE_DATASET_IDS.map((id) => (
                <option key={id} value={id}>
                  {t('images.source.builtin', { title: datasetTitle(t, id) })}
                </option>
              ))}
              <option value="file">{t('data.source.file')}</option>
              <option value="folder">{t('images.source.folder')}</option>
              <option value="image-csv">{t('images.source.csv')}</option>
            </select>
          </div>
        </div>
        <div className="field-help" data-testid="data-license-line">
          {!data
            ? t('data.source.noneHelp')
            : builtinLicense
              ? t('data.source.license', { title: builtinLicense.title, license: builtinLicense.license })
              : isFolder
                ? t('images.source.folderHelp')
                : imageCsv
                  ? t('images.source.csvHelp')
                  : t('data.source.fileHelp')}
        </div>
      </div>
      {isFile && (
        <>
          <div className="field">
            <div className="field-row">
              <label htmlFor="data-path">{isFolder ? t('images.source.folderLabel') : t('data.source.fileLabel')}</label>
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
                {host.pickFile && !isFolder && (
                  <button type="button" onClick={() => void browse()} data-testid="data-browse">
                    {t('data.source.browse')}
                  </button>
                )}
              </div>
            </div>
            <div className="field-help">{host.kind === 'desktop' ? t('data.source.pathHelpDesktop') : t('data.source.pathHelpWeb')}</div>
          </div>
          {!isFolder && <FileEncodingField value={data.fileEncoding} onCommit={(fileEncoding) => onChange({ fileEncoding }, 'fileEncoding')} />}
        </>
      )}
      {imageCsv && data.image && (
        <>
          <datalist id="data-columns">
            {columns.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <ColumnField
            id="data-path-column"
            label={t('images.source.pathColumn')}
            value={data.image.pathColumn ?? 'path'}
            help={t('images.source.pathColumnHelp')}
            onCommit={(pathColumn) => onChange({ image: { ...data.image!, pathColumn } }, 'image.pathColumn')}
          />
          <ColumnField id="data-label" label={t('data.columns.label')} value={data.label} onCommit={(label) => onChange({ label }, 'label')} />
          <SplitColumnField split={data.split} onCommit={(split) => onChange({ split }, 'split')} />
        </>
      )}
      {data && !images && (
        <>
          <datalist id="data-columns">
            {columns.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <ColumnField
            id="data-text"
            label={t('data.columns.text')}
            value={textColumnsOf(data).join(' + ')}
            help={t('data.columns.textHelp')}
            onCommit={(text) => {
              const parts = text.split(/\s*\+\s*/).filter(Boolean);
              onChange({ text: parts.length === 1 ? parts[0]! : parts }, 'text');
            }}
          />
          <ColumnField id="data-label" label={t('data.columns.label')} value={data.label} onCommit={(label) => onChange({ label }, 'label')} />
          <SplitColumnField split={data.split} onCommit={(split) => onChange({ split }, 'split')} />
        </>
      )}
    </div>
  );
}

/** The file's text encoding: detected, or one the user chooses when the text reads wrong. */
function FileEncodingField({ value, onCommit }: { value: FileEncodingName; onCommit(value: FileEncodingName): void }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <div className="field-row">
        <label htmlFor="data-file-encoding">{t('data.fileEncoding.label')}</label>
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
                {t(`data.fileEncoding.option.${e}`, { defaultValue: FILE_ENCODING_LABELS[e] })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field-help">{t('data.fileEncoding.help')}</div>
    </div>
  );
}

/**
 * The column that puts each row in train, dev or test (the course's surname file has one);
 * empty means the seeded, stratified ratios split the rows.
 */
function SplitColumnField({ split, onCommit }: { split: Data['split']; onCommit(split: Data['split']): void }) {
  const { t } = useTranslation();
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
        <label htmlFor="data-split-column">{t('data.splitColumn.label')}</label>
        <div className="field-control">
          <input
            id="data-split-column"
            type="text"
            value={draft}
            placeholder={t('data.splitColumn.placeholder')}
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
          ? t('data.splitColumn.byColumn', { column: value })
          : t(split.stratify ? 'data.splitColumn.ratiosStratified' : 'data.splitColumn.ratios', { train, dev, test, seed: split.seed })}
      </div>
    </div>
  );
}

/** A column name typed as a draft and committed, trimmed, when it loses focus (or on Enter). */
function ColumnField({ id, label, value, help, onCommit }: { id: string; label: string; value: string; help?: string; onCommit(name: string): void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <FieldRow id={id} label={label} help={help}>
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
    </FieldRow>
  );
}

type MaxLength = Data['maxLength'];

/** The length examples are cut or padded to: the longest in train, a percentile of train, or a number. */
function MaxLengthField({ value, onCommit }: { value: MaxLength; onCommit(value: MaxLength): void }) {
  const mode = value === 'auto' ? 'auto' : typeof value === 'number' ? 'fixed' : 'percentile';
  const number = value === 'auto' ? '' : typeof value === 'number' ? String(value) : String(value.percentile);
  const { t } = useTranslation();
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
        <label htmlFor="data-max-length-mode">{t('data.maxLength.label')}</label>
        <div className="field-control path-row">
          <select
            id="data-max-length-mode"
            value={mode}
            onChange={(e) => onCommit(e.target.value === 'auto' ? 'auto' : e.target.value === 'fixed' ? 64 : { percentile: 95 })}
            data-testid="data-maxLength-mode"
          >
            <option value="auto">{t('data.maxLength.auto')}</option>
            <option value="percentile">{t('data.maxLength.percentile')}</option>
            <option value="fixed">{t('data.maxLength.fixed')}</option>
          </select>
          {mode !== 'auto' && (
            <input
              type="number"
              className="narrow-input"
              aria-label={mode === 'fixed' ? t('data.maxLength.tokens') : t('data.maxLength.percentile')}
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
      <div className="field-help">{t('data.maxLength.help')}</div>
    </div>
  );
}

/** Why there is no summary: the data file waits for the user's consent. */
function ConsentNote() {
  const refused = refusedFiles(useConsentStore((s) => s.files)).filter((f) => f.role === 'data');
  const { t } = useTranslation();
  return (
    <div className="consent-note small" role="status" data-testid="data-needs-consent">
      <p>
        {refused[0] ? (
          <Trans i18nKey="data.consent.note" values={{ path: refused[0].resolvedPath }} components={{ path: <span className="mono" /> }} />
        ) : (
          t('data.consent.noteAny')
        )}
      </p>
      <button type="button" onClick={() => useConsentStore.getState().reopen()} data-testid="data-review-files">
        {t('data.consent.review')}
      </button>
    </div>
  );
}

/** The data the document trains on: where it comes from, what the engine found in it, and how it is encoded. */
export function DataPanel() {
  const { t } = useTranslation();
  const data = useDocumentStore((s) => s.history?.present.data);
  const hasDocument = useDocumentStore((s) => s.history !== null && s.history !== undefined);
  const edit = useDocumentStore((s) => s.edit);
  const state = useAppStore((s) => s.data);
  const fields = useMemo(
    () =>
      EDITABLE.map((key) => {
        const f = describeField(key, DataSchema.shape[key] as unknown as z.ZodType);
        return {
          ...f,
          label: t(`data.field.${key}.label`, { defaultValue: LABELS[key] ?? f.label }),
          help: t(`data.field.${key}.help`, { defaultValue: HELP[key] ?? f.help }),
        };
      }),
    [t],
  );
  if (!hasDocument) return null;

  const summary = state.status === 'ok' ? state.summary : null;
  const patch = (p: Partial<Data>, key: string) =>
    edit((doc) => {
      const next = patchData(doc, p);
      // A key patched to undefined (the `image` of data that became texts) leaves the section.
      if (next.data) for (const k of Object.keys(p)) if ((p as Record<string, unknown>)[k] === undefined) delete (next.data as Record<string, unknown>)[k];
      return next;
    }, `data:${key}`);
  const images = data !== undefined && isImageData(data);
  return (
    <div className="inspector-body" data-testid="data-panel">
      <SourceFields data={data} columns={summary?.columns?.all ?? []} onChange={patch} onRemove={() => edit(removeData, 'data:source')} />
      {data && (
        <>
          {state.status === 'loading' && <DataLoading progress={state.progress} />}
          {state.status === 'needs-consent' && <ConsentNote />}
          {state.status === 'error' && (
            <div className="issue block-error" role="alert" data-testid="data-error">
              {t('data.error', { reason: messageText(t, state) })}
            </div>
          )}
          {summary?.fileEncoding && <EncodingLine e={summary.fileEncoding} />}
          {summary && <DataStats summary={summary} />}
          {summary?.images && (
            <>
              <h4 className="section">{t('images.grid.title')}</h4>
              <ImageGrid images={summary.images} />
              <AugmentPreview images={summary.images} />
            </>
          )}
          {images && (
            <>
              <h4 className="section">{t('images.settings.title')}</h4>
              <ImageSettings image={data.image ?? ImageSchema.parse({})} onCommit={(image, key) => patch({ image }, `image.${key}`)} />
            </>
          )}
          {!images && summary?.preview && summary.preview.length > 0 && (
            <>
              <h4 className="section">{t('data.sections.tokens')}</h4>
              <TokenPreview rows={summary.preview} />
            </>
          )}
          {!images && <h4 className="section">{t('data.sections.encoding')}</h4>}
          {!images &&
            fields.map((field) =>
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
          {!images && <MaxLengthField value={data.maxLength} onCommit={(maxLength) => patch({ maxLength }, 'maxLength')} />}
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
