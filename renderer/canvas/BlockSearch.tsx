/**
 * The block search a double-click on the empty canvas opens, at the pointer: type a few letters,
 * pick a block with the arrows and Enter (or a click), and it is placed where the canvas was
 * double-clicked. Escape or a click elsewhere closes it and places nothing.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BLOCKS } from '../../engine/blocks/registry';
import type { BlockDef } from '../../engine/blocks/defineBlock';
import { categoryClass } from './categories';

const ALL = BLOCKS as readonly BlockDef[];
/** Rows shown at once; the rest are a few more letters away. */
const MAX_ROWS = 8;

/** Blocks whose type, category or doc contain the query; types that start with it first. */
export function searchBlocks(query: string, blocks: readonly BlockDef[] = ALL): BlockDef[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...blocks];
  const rank = (b: BlockDef) => {
    const type = b.type.toLowerCase();
    if (type.startsWith(q)) return 0;
    if (type.includes(q)) return 1;
    if (b.category.toLowerCase().includes(q)) return 2;
    return b.doc.toLowerCase().includes(q) ? 3 : -1;
  };
  return blocks
    .map((b) => ({ b, r: rank(b) }))
    .filter((x) => x.r >= 0)
    .sort((x, y) => x.r - y.r)
    .map((x) => x.b);
}

export interface BlockSearchProps {
  /** Where to show it, in pixels from the canvas's top-left. */
  at: { x: number; y: number };
  onPick(type: string): void;
  onClose(): void;
}

export function BlockSearch({ at, onPick, onClose }: BlockSearchProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const found = useMemo(() => searchBlocks(query).slice(0, MAX_ROWS), [query]);
  const current = Math.min(active, Math.max(found.length - 1, 0));

  useEffect(() => {
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [onClose]);

  return (
    <div
      ref={ref}
      className="block-search"
      style={{ left: at.x, top: at.y }}
      role="dialog"
      aria-label={t('editor.search.title')}
      data-testid="block-search"
      onDoubleClick={(e) => e.stopPropagation()}
    >
      <input
        autoFocus
        type="search"
        value={query}
        placeholder={t('editor.search.placeholder')}
        aria-label={t('editor.search.placeholder')}
        aria-controls="block-search-list"
        aria-activedescendant={found[current] ? `block-search-${found[current].type}` : undefined}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((current + 1) % Math.max(found.length, 1));
          else if (e.key === 'ArrowUp') setActive((current - 1 + found.length) % Math.max(found.length, 1));
          else if (e.key === 'Enter' && found[current]) onPick(found[current].type);
          else if (e.key === 'Escape') onClose();
          else return;
          e.preventDefault();
          e.stopPropagation();
        }}
      />
      <ul id="block-search-list" role="listbox">
        {found.map((block, i) => (
          <li
            key={block.type}
            id={`block-search-${block.type}`}
            role="option"
            aria-selected={i === current}
            className={`${categoryClass(block.category)}${i === current ? ' active' : ''}`}
            data-testid={`block-search-item-${block.type}`}
            onMouseEnter={() => setActive(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(block.type)}
            title={block.doc}
          >
            <span className="swatch" aria-hidden />
            <span className="name">{block.type}</span>
            <span className="muted small">{block.category}</span>
          </li>
        ))}
        {found.length === 0 && <li className="muted small empty">{t('editor.search.none', { query })}</li>}
      </ul>
    </div>
  );
}
