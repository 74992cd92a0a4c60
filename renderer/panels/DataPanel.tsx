import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import { DataSchema, type Document } from '../../engine/graph/document';
import { FieldInput } from '../inspector/FieldInput';
import { describeField } from '../inspector/paramFields';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { refusedFiles, useConsentStore } from '../state/consentStore';
import { useDocumentStore } from '../state/documentStore';
import { patchData } from '../state/edits';
import { compact } from '../ui/format';

type Data = Document['data'];
const EDITABLE = ['tokenizer', 'encoding', 'maxLength', 'minCount', 'lowercase'] as const;
const HELP: Record<string, string> = {
  tokenizer: 'char: one token per character (surnames); word: split on spaces and punctuation.',
  encoding: 'onehot feeds an Input of float32 [length, vocabulary]; index feeds token ids (int32) to an Embedding.',
  lowercase: 'Lower-case the text before it is split into tokens.',
};

/**
 * Where the examples come from: the built-in surnames, or a CSV/TSV file the user names (the
 * engine reads it only through the host; a path typed or picked here counts as accepted, one
 * that came in a document file is asked about first).
 */
function SourceFields({ data, onChange }: { data: Data; onChange(patch: Partial<Data>, key: string): void }) {
  const { host } = useHost();
  const source = data.source as { builtin?: string; path?: string };
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
  const [path, setPath] = useState(source.path ?? '');
  useEffect(() => setPath(source.path ?? ''), [source.path]);
  const isFile = source.builtin === undefined;
  return (
    <div className="fields">
      <div className="field">
        <div className="field-row">
          <label htmlFor="data-source">Source</label>
          <div className="field-control">
            <select
              id="data-source"
              className="wide-input"
              value={isFile ? 'file' : 'surnames'}
              onChange={(e) => {
                if (e.target.value === 'surnames') onChange({ source: { builtin: 'surnames' }, text: 'surname', label: 'country' }, 'source');
                else choosePath(path.trim() || 'data.csv', 'source');
              }}
              data-testid="data-source"
            >
              <option value="surnames">Built-in surnames</option>
              <option value="file">A CSV/TSV file</option>
            </select>
          </div>
        </div>
        <div className="field-help">Surnames by country (from @faker-js/faker, MIT), or your own file with a text and a label column.</div>
      </div>
      {isFile && (
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
                onBlur={() => path.trim() && path.trim() !== source.path && choosePath(path.trim(), 'path')}
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
            A path on this machine, absolute or relative to {host.kind === 'desktop' ? 'the document’s folder (or where Modelwright runs, before it is saved)' : 'where the Modelwright web host runs'}.
          </div>
        </div>
      )}
      <ColumnField id="data-text" label="Text column" value={data.text} onCommit={(text) => onChange({ text }, 'text')} />
      <ColumnField id="data-label" label="Label column" value={data.label} onCommit={(label) => onChange({ label }, 'label')} />
    </div>
  );
}

/** A column name typed as a draft and committed, trimmed, when it loses focus (or on Enter). */
function ColumnField({ id, label, value, onCommit }: { id: string; label: string; value: string; onCommit(name: string): void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <div className="field">
      <div className="field-row">
        <label htmlFor={id}>{label}</label>
        <div className="field-control">
          <input id={id} type="text" value={draft} spellCheck={false} onChange={(e) => setDraft(e.target.value)} onBlur={() => draft.trim() && draft !== value && onCommit(draft.trim())} onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()} />
        </div>
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
        No summary yet: this document reads {refused[0] ? <span className="mono">{refused[0].resolvedPath}</span> : 'a data file'}, which you have not
        allowed Modelwright to read.
      </p>
      <button type="button" onClick={() => useConsentStore.getState().reopen()} data-testid="data-review-files">
        Review the file…
      </button>
    </div>
  );
}

/** The data the document trains on: what the engine found in it, and how it is encoded. */
export function DataPanel() {
  const data = useDocumentStore((s) => s.history?.present.data ?? null);
  const edit = useDocumentStore((s) => s.edit);
  const state = useAppStore((s) => s.data);
  const fields = useMemo(() => EDITABLE.map((key) => {
    const f = describeField(key, DataSchema.shape[key] as unknown as z.ZodType);
    return { ...f, help: f.help ?? HELP[key] };
  }), []);
  if (!data) return null;

  const summary = state.status === 'ok' ? state.summary : null;
  const maxCount = summary ? Math.max(1, ...summary.classCounts) : 1;
  return (
    <div className="inspector-body" data-testid="data-panel">
      <SourceFields data={data} onChange={(patch, key) => edit((doc) => patchData(doc, patch), `data:${key}`)} />
      {state.status === 'loading' && <p className="muted small">Reading the data…</p>}
      {state.status === 'needs-consent' && <ConsentNote />}
      {state.status === 'error' && (
        <div className="issue block-error" role="alert">
          The data could not be read: {state.message}
        </div>
      )}
      {summary && (
        <>
          <div className="totals">
            <div>
              <div className="total-value" data-testid="data-rows">
                {compact(summary.rows)}
              </div>
              <div className="muted small">rows</div>
            </div>
            <div>
              <div className="total-value" data-testid="data-classes">
                {summary.classes.length}
              </div>
              <div className="muted small">classes</div>
            </div>
            <div>
              <div className="total-value">{summary.vocabSize}</div>
              <div className="muted small">vocabulary</div>
            </div>
          </div>
          <dl className="facts">
            <dt>Split</dt>
            <dd>
              {compact(summary.split.train)} train · {compact(summary.split.dev)} dev · {compact(summary.split.test)} test
            </dd>
            <dt>Longest</dt>
            <dd>{summary.maxLength} tokens</dd>
            <dt>One example</dt>
            <dd className="mono">
              [{summary.inputShape.join(', ')}] {summary.inputDtype}
            </dd>
          </dl>
          <h4 className="section">Classes</h4>
          <ul className="class-bars">
            {summary.classes.map((name, i) => (
              <li key={name}>
                <span className="class-name">{name}</span>
                <span className="bar">
                  <span className="fill" style={{ width: `${((summary.classCounts[i] ?? 0) / maxCount) * 100}%` }} />
                </span>
                <span className="num small">{summary.classCounts[i] ?? 0}</span>
              </li>
            ))}
          </ul>
          {summary.sample.length > 0 && (
            <>
              <h4 className="section">Sample</h4>
              <table className="sample-table">
                <tbody>
                  {summary.sample.slice(0, 8).map(([text, label], i) => (
                    <tr key={i}>
                      <td className="mono">{text}</td>
                      <td className="muted">{label}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
      <h4 className="section">Encoding</h4>
      {fields.map((field) => (
        <FieldInput
          key={field.key}
          field={field}
          value={data[field.key as keyof Data]}
          testId={`data-${field.key}`}
          onCommit={(value) => edit((doc) => patchData(doc, { [field.key]: value }), `data:${field.key}`)}
        />
      ))}
    </div>
  );
}
