/**
 * File → New from template: every example the engine lists, each with a picture of its graph and
 * a note on what it teaches (where the catalog has one), and a blank model. Picking one opens it
 * as a new, unsaved document, asking first when the open one has unsaved changes.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import type { Document } from '../../engine/graph/document';
import { parseDocument } from '../../engine/graph/load';
import { useHost } from '../HostContext';
import { GraphPicture } from '../canvas/GraphPicture';
import { useAppStore } from '../state/appStore';

const useGallery = create<{ open: boolean }>()(() => ({ open: false }));

/** Opens the gallery (the toolbar's menu and the command table call this). */
export function openTemplateGallery(): void {
  useGallery.setState({ open: true });
}

export function closeTemplateGallery(): void {
  useGallery.setState({ open: false });
}

/** `surname-cnn.json` → `surname-cnn`: the key of its note and its test id. */
export function templateStem(file: string): string {
  return file.replace(/\.json$/, '');
}

type Loaded = { ok: true; doc: Document } | { ok: false; error: string };

export function TemplateGallery() {
  const open = useGallery((s) => s.open);
  if (!open) return null;
  return createPortal(<Gallery />, document.body);
}

function Gallery() {
  const { t, i18n } = useTranslation();
  const { host, actions } = useHost();
  const examples = useAppStore((s) => s.examples);
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});
  const first = useRef<HTMLButtonElement>(null);

  // Each example's graph, for its picture; one that fails to load still has its card.
  useEffect(() => {
    let live = true;
    for (const example of examples) {
      host.engine.loadExample(example.file).then(
        (text) => {
          const parsed = parseDocument(text, { keepGroups: true });
          if (live) setLoaded((l) => ({ ...l, [example.file]: parsed.ok ? { ok: true, doc: parsed.doc } : { ok: false, error: parsed.error } }));
        },
        (error: unknown) => live && setLoaded((l) => ({ ...l, [example.file]: { ok: false, error: String(error) } })),
      );
    }
    return () => {
      live = false;
    };
  }, [examples, host]);

  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeTemplateGallery();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const pick = (file: string | null) => {
    closeTemplateGallery();
    void (file ? actions.openExample(file) : actions.newDocument());
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && closeTemplateGallery()}>
      <div className="dialog template-gallery" role="dialog" aria-modal="true" aria-labelledby="template-gallery-title" data-testid="template-gallery">
        <div className="template-gallery-head">
          <h2 id="template-gallery-title">{t('templates.title')}</h2>
          <button type="button" className="tool" onClick={closeTemplateGallery} aria-label={t('templates.close')} data-testid="template-gallery-close">
            ×
          </button>
        </div>
        <div className="template-grid">
          <button type="button" className="template-card" ref={first} onClick={() => pick(null)} data-testid="template-blank">
            <div className="template-picture blank" aria-hidden>
              +
            </div>
            <span className="template-name">{t('templates.blank.name')}</span>
            <span className="template-note">{t('templates.blank.note')}</span>
          </button>
          {examples.map((example) => {
            const stem = templateStem(example.file);
            const entry = loaded[example.file];
            const noteKey = `templates.notes.${stem}`;
            return (
              <button key={example.file} type="button" className="template-card" onClick={() => pick(example.file)} data-testid={`template-${stem}`}>
                <div className="template-picture">
                  {entry?.ok ? (
                    <GraphPicture graph={entry.doc.graph} label={t('templates.pictureOf', { name: example.name })} />
                  ) : entry ? (
                    <span className="muted small" title={entry.error}>
                      {t('templates.noPicture')}
                    </span>
                  ) : null}
                </div>
                <span className="template-name">{example.name}</span>
                {i18n.exists(noteKey) && <span className="template-note">{t(noteKey)}</span>}
              </button>
            );
          })}
        </div>
      </div>
    </div>
  );
}
