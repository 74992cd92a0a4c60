import { useMemo, useState, type DragEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { BLOCKS } from '../../engine/blocks/registry';
import type { BlockDef } from '../../engine/blocks/defineBlock';
import { useTranslation } from 'react-i18next';
import { blockDoc, categoryName } from '../i18n/blockWords';
import { addBlockNear, BLOCK_MIME, GROUP_PREFIX } from '../canvas/addBlock';
import { useDocumentStore } from '../state/documentStore';
import { CATEGORY_ORDER, categoryClass } from '../canvas/categories';
import { Icon } from '../ui/Icon';

const ALL = BLOCKS as readonly BlockDef[];

/** Blocks grouped by category and filtered by a search; drag one onto the canvas or click it. */
export function Palette() {
  const [query, setQuery] = useState('');
  const [hovered, setHovered] = useState<BlockDef | null>(null);
  const flow = useReactFlow();
  const { t } = useTranslation();
  const savedGroups = useDocumentStore((s) => s.history?.present.graph.groups);
  const groupsShown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (savedGroups ?? []).filter((g) => !q || g.name.toLowerCase().includes(q) || 'group'.includes(q));
  }, [savedGroups, query]);

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (b: BlockDef) => !q || b.type.toLowerCase().includes(q) || b.category.toLowerCase().includes(q) || b.doc.toLowerCase().includes(q);
    return CATEGORY_ORDER.map((category) => ({ category, blocks: ALL.filter((b) => b.category === category && match(b)) })).filter((g) => g.blocks.length > 0);
  }, [query]);

  const addAtCenter = (type: string) => {
    const pane = document.querySelector('.canvas .react-flow')?.getBoundingClientRect();
    const center = pane ? flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : { x: 0, y: 0 };
    const added = addBlockNear(type, center);
    if (!added || !pane) return;
    // A crowded canvas may push the new block out of sight: bring it into view, at the same zoom.
    const corner = flow.flowToScreenPosition({ x: added.at.x - 100, y: added.at.y - 32 });
    const inside = corner.x >= pane.left && corner.y >= pane.top && corner.x + 200 <= pane.right && corner.y + 80 <= pane.bottom;
    if (!inside) void flow.setCenter(added.at.x, added.at.y, { zoom: flow.getZoom(), duration: 200 });
  };

  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(BLOCK_MIME, type);
    e.dataTransfer.setData('text/plain', type);
    e.dataTransfer.effectAllowed = 'copy';
  };

  const shown = hovered ?? groups[0]?.blocks[0] ?? null;
  return (
    <aside className="palette" aria-label={t('canvas.palette.title')}>
      <div className="panel-title">{t('canvas.palette.title')}</div>
      <label className="search">
        <Icon name="search" />
        <input
          type="search"
          placeholder={t('canvas.palette.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && groups[0]?.blocks[0]) addAtCenter(groups[0].blocks[0].type);
            if (e.key === 'Escape') setQuery('');
          }}
          aria-label={t('canvas.palette.search')}
        />
      </label>
      <div className="palette-list">
        {groupsShown.length > 0 && (
          <section className="palette-group" data-testid="palette-groups">
            <h3>{t('editor.group.palette')}</h3>
            {groupsShown.map((group) => (
              <button
                key={group.id}
                type="button"
                className="palette-item cat-group"
                data-testid={`palette-group-${group.id}`}
                draggable
                onDragStart={(e) => onDragStart(e, `${GROUP_PREFIX}${group.id}`)}
                onClick={() => addAtCenter(`${GROUP_PREFIX}${group.id}`)}
                title={t('editor.group.paletteHelp', { count: group.nodes.length })}
              >
                <span className="swatch" aria-hidden />
                <span className="palette-name">{group.name}</span>
              </button>
            ))}
          </section>
        )}
        {groups.map((group) => (
          <section key={group.category} className="palette-group">
            <h3>{categoryName(t, group.category)}</h3>
            {group.blocks.map((block) => (
              <button
                key={block.type}
                type="button"
                className={`palette-item ${categoryClass(block.category)}`}
                data-testid={`palette-item-${block.type}`}
                draggable
                onDragStart={(e) => onDragStart(e, block.type)}
                onClick={() => addAtCenter(block.type)}
                onMouseEnter={() => setHovered(block)}
                onFocus={() => setHovered(block)}
                title={`${blockDoc(t, block)}\n\n${t('canvas.palette.drag')}`}
              >
                <span className="swatch" aria-hidden />
                <span className="palette-name">{block.type}</span>
              </button>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="muted small pad">{t('canvas.palette.none', { query })}</p>}
      </div>
      {shown && (
        <div className="palette-help" aria-live="polite">
          <div className="palette-help-title">{shown.type}</div>
          <p>{blockDoc(t, shown)}</p>
        </div>
      )}
    </aside>
  );
}
