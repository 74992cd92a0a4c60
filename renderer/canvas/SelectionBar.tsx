/**
 * The bar over the canvas that offers what can be done with the selection: save two or more
 * blocks as a named group (over an existing group of that name, which changes every block that
 * places it), or expand a selected group back into its blocks. Each is one undo step.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GROUP_TYPE, type NodeId } from '../../engine/graph/document';
import { useAppStore } from '../state/appStore';
import { useDoc, useDocumentStore } from '../state/documentStore';
import { expandGroup, saveGroup } from '../state/edits';

export function SelectionBar() {
  const { t } = useTranslation();
  const doc = useDoc();
  const selected = useDocumentStore((s) => s.selection.nodes);
  const [naming, setNaming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (!doc) return null;
  const nodes = doc.graph.nodes.filter((n) => selected.includes(n.id));
  const group = nodes.length === 1 && nodes[0]!.type === GROUP_TYPE ? nodes[0]! : null;
  if (nodes.length < 2 && !group) return null;

  const save = async (name: string) => {
    const trimmed = name.trim();
    if (!trimmed) return;
    const store = useDocumentStore.getState();
    const current = store.history?.present;
    if (!current) return;
    const same = current.graph.groups?.find((g) => g.name.toLowerCase() === trimmed.toLowerCase());
    if (same) {
      const users = current.graph.nodes.filter((n) => n.type === GROUP_TYPE && n.params.group === same.id).length;
      const go = await useAppStore.getState().confirm({
        title: t('editor.group.replaceTitle', { name: same.name }),
        text: t('editor.group.replaceText', { count: users }),
        confirmLabel: t('editor.group.replace'),
      });
      if (!go) return;
    }
    const result = saveGroup(current, selected, trimmed, same?.id);
    if ('reason' in result) {
      setProblem(result.reason);
      return;
    }
    store.edit(() => result.doc);
    store.select({ nodes: [result.node], edges: [] });
    setNaming(null);
    setProblem(null);
  };

  return (
    <div className="selection-bar" role="toolbar" aria-label={t('editor.group.bar')} data-testid="selection-bar">
      {group ? (
        <button
          type="button"
          data-testid="expand-group"
          onClick={() => {
            const store = useDocumentStore.getState();
            let ids: NodeId[] = [];
            store.edit((d) => {
              const r = expandGroup(d, group.id);
              ids = r.ids;
              return r.doc;
            });
            store.select({ nodes: ids, edges: [] });
          }}
        >
          {t('editor.group.expand')}
        </button>
      ) : naming === null ? (
        <button type="button" data-testid="save-group" onClick={() => setNaming('')}>
          {t('editor.group.save', { count: nodes.length })}
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(naming);
          }}
        >
          <input
            autoFocus
            value={naming}
            onChange={(e) => setNaming(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setNaming(null);
                setProblem(null);
              }
            }}
            placeholder={t('editor.group.namePlaceholder')}
            aria-label={t('editor.group.name')}
            data-testid="group-name"
            maxLength={80}
          />
          <button type="submit" disabled={!naming.trim()} data-testid="group-save">
            {t('editor.group.saveButton')}
          </button>
        </form>
      )}
      {problem && (
        <span className="selection-problem" role="alert" data-testid="group-problem">
          {problem}
        </span>
      )}
    </div>
  );
}
